// A small WASI program for `mica run`: greets, shows its arguments and the environment it
// was given, and lists a directory the host preopened for it.
//
//   cargo run --release -p mica-cli -- run --dir examples::/examples --env GREETING=Hello \
//       examples/hello.wasm /examples Mica
//
// Rebuild hello.wasm (needs clang, lld, wasi-libc and libclang-rt-dev-wasm32):
//   clang --target=wasm32-wasi --sysroot=/usr -O2 -o examples/hello.wasm examples/hello.c
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    const char *greeting = getenv("GREETING");
    const char *name = argc > 2 ? argv[2] : "world";
    printf("%s, %s!\n", greeting ? greeting : "Hello", name);

    printf("arguments:");
    for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
    printf("\n");

    extern char **environ;
    for (char **e = environ; *e; e++) printf("environment: %s\n", *e);

    const char *dir = argc > 1 ? argv[1] : ".";
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    char *names[256];
    int n = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) && n < 256)
        if (entry->d_name[0] != '.') names[n++] = strdup(entry->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    printf("%s holds %d entries:\n", dir, n);
    for (int i = 0; i < n; i++) printf("  %s\n", names[i]);
    return 0;
}
