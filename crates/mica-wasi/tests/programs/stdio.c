// Standard streams and printf formatting: integers, floats, stdin line by line, stderr.
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
    printf("int %d %d %u %ld\n", 42, -7, 4000000000u, -1234567890L);
    printf("i64 %" PRId64 " %" PRIu64 " %" PRId64 "\n", INT64_MIN, UINT64_MAX, (int64_t)1 << 40);
    printf("hex %x %08X %o\n", 255, 0xBEEF, 8);
    printf("pad [%5d] [%-5d] [%05.1f]\n", 42, 42, 3.14159);
    printf("float %f %.3f %e %g %g\n", 3.14159, -2.5, 12345.678, 0.0001, 1e300);
    printf("round-trip %.17g %.9g %a\n", 0.1, (double)0.1f, 0.1);
    printf("special %f %f %g\n", 1.0 / 0.0, -1.0 / 0.0, -0.0);
    printf("float32 %.9g %.9g\n", (double)(1.0f / 3.0f), (double)(16777217.0f));
    char line[256];
    int lines = 0;
    while (fgets(line, sizeof line, stdin)) {
        lines++;
        printf("stdin: %s", line);
    }
    printf("lines %d\n", lines);
    fprintf(stderr, "to stderr\n");
    return 0;
}
