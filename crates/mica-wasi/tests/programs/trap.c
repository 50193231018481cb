// Writes output, then divides by zero: the output must survive the trap.
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    printf("before the trap\n");
    fflush(stdout);
    volatile int zero = argc - 1;
    printf("%d\n", 10 / zero);
    return 0;
}
