// The acceptance program: lists a directory (argv[1]), copies argv[1]/input.txt to
// argv[1]/copy.txt, checks the copy, and prints floating-point results. Built natively and for
// wasm32-wasi, both builds must print the same bytes.
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return perror("opendir"), 1;
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512)
        if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) printf("entry %s\n", names[i]), free(names[i]);
    return 0;
}

static long copy(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) return -1;
    char buf[1000];
    long total = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) total += (long)fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
    return total;
}

static int same(const char *a, const char *b) {
    FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
    if (!x || !y) return 0;
    int cx, cy;
    do {
        cx = fgetc(x);
        cy = fgetc(y);
    } while (cx == cy && cx != EOF);
    fclose(x);
    fclose(y);
    return cx == cy;
}

static void floats(void) {
    double h = 0;
    for (int i = 1; i <= 1000000; i++) h += 1.0 / i;
    printf("harmonic(1e6) = %.17g\n", h);
    double x = 1;
    for (int i = 0; i < 6; i++) x = (x + 2 / x) / 2;
    printf("newton sqrt2 = %.17g sqrt(2) = %.17g\n", x, sqrt(2.0));
    float f = 0;
    for (int i = 0; i < 1000; i++) f += 0.1f;
    printf("float sum = %.9g %a\n", f, f);
    printf("fma = %.17g\n", fma(0.1, 10.0, -1.0));
    printf("division = %.17g %.17g\n", 1.0 / 3.0, 2.0 / 7.0);
    printf("formats = %f %e %g %.0f %.3e\n", M_PI, M_PI * 1e10, 1e-7, 2.5, 6.02214076e23);
    printf("parse = %.17g %.17g\n", strtod("0.1", NULL), strtod("1e-310", NULL));
    printf("libm = %.12g %.12g %.12g %.12g\n", exp(1.0), log(10.0), sin(1.0), pow(2.0, 0.5));
    printf("rounding = %.17g %.17g %.17g %.17g\n", floor(-2.5), ceil(-2.5), round(-2.5), trunc(2.7));
    printf("limits = %.17g %.17g %g %g\n", 1.7976931348623157e308, 4.9406564584124654e-324, 1e308 * 10, -0.0);
}

int main(int argc, char **argv) {
    if (argc < 2) return fprintf(stderr, "usage: listcopy DIR\n"), 2;
    char from[1024], to[1024];
    snprintf(from, sizeof from, "%s/input.txt", argv[1]);
    snprintf(to, sizeof to, "%s/copy.txt", argv[1]);
    long copied = copy(from, to);
    printf("copied %ld bytes, identical: %s\n", copied, same(from, to) ? "yes" : "no");
    if (list(argv[1])) return 1;
    floats();
    return 0;
}
