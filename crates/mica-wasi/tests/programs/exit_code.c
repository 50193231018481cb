// Exit statuses: `exit_code N` returns N from main; `exit_code N deep` calls exit(N) from a
// nested function after writing unterminated output.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void leave(int code) {
    printf("leaving with %d", code);
    exit(code);
}

int main(int argc, char **argv) {
    int code = argc > 1 ? atoi(argv[1]) : 0;
    if (argc > 2 && strcmp(argv[2], "deep") == 0) leave(code);
    printf("returning %d\n", code);
    return code;
}
