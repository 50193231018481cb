/* What the WAMR-style C tests share: a check that stops the program with the failed
 * condition and where it is, and reading a module file whole. */
#ifndef WAMR_COMMON_H
#define WAMR_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

static uint8_t *read_file(const char *path, uint32_t *size) {
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)len);
    CHECK(buf != NULL);
    CHECK(fread(buf, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    *size = (uint32_t)len;
    return buf;
}

#endif
