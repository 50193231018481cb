// Files in a preopened directory (argv[1]): create, write, seek, read, pread/pwrite, truncate,
// append, rename, mkdir, listing (sorted; many entries to page through fd_readdir's cookies),
// stat, unlink, rmdir, and the errors of the failing cases.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifndef ENOTCAPABLE
#define ENOTCAPABLE 76
#endif
#include "errname.h"

static const char *base;
static char pathbuf[4][512];

static const char *P(int slot, const char *name) {
    snprintf(pathbuf[slot], sizeof pathbuf[slot], "%s/%s", base, name);
    return pathbuf[slot];
}

/// Prints a call's result, and the errno name when it failed (read after the call returns).
static void report(const char *what, long result) {
    printf("%s %ld %s\n", what, result, result < 0 ? errname(errno) : "OK");
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *name) {
    DIR *d = opendir(P(0, name));
    if (!d) {
        printf("opendir %s: %s\n", name, errname(errno));
        return;
    }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    printf("%s: %d entries\n", name, n);
    for (int i = 0; i < n && i < 8; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "%s/%s", name, names[i]);
        struct stat st;
        stat(P(1, rel), &st);
        if (S_ISDIR(st.st_mode)) printf("  %s/\n", names[i]);
        else printf("  %s %lld bytes\n", names[i], (long long)st.st_size);
    }
    for (int i = 0; i < n; i++) free(names[i]);
}

static void cat(const char *name) {
    FILE *f = fopen(P(0, name), "r");
    if (!f) {
        printf("fopen %s: %s\n", name, errname(errno));
        return;
    }
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("%s = [%s]\n", name, buf);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    base = argv[1];
    FILE *f = fopen(P(0, "a.txt"), "w");
    fprintf(f, "hello file\nline two\n");
    fclose(f);

    int fd = open(P(0, "a.txt"), O_RDWR);
    printf("lseek set %lld\n", (long long)lseek(fd, 6, SEEK_SET));
    printf("write %zd\n", write(fd, "FILE", 4));
    printf("lseek cur %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("lseek end %lld\n", (long long)lseek(fd, 0, SEEK_END));
    report("lseek before start", (long)lseek(fd, -100, SEEK_SET));
    lseek(fd, 0, SEEK_SET);
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n] = 0;
    printf("read %zd [%s]\n", n, buf);
    n = pread(fd, buf, 4, 6);
    buf[n] = 0;
    printf("pread [%s]\n", buf);
    printf("pwrite %zd\n", pwrite(fd, "Line", 4, 11));
    printf("ftruncate %d\n", ftruncate(fd, 15));
    struct stat st;
    fstat(fd, &st);
    printf("fstat size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    close(fd);
    cat("a.txt");

    f = fopen(P(0, "a.txt"), "a");
    fputs("+more", f);
    fclose(f);
    cat("a.txt");

    report("mkdir", mkdir(P(0, "sub"), 0755));
    report("mkdir again", mkdir(P(0, "sub"), 0755));
    report("rename", rename(P(0, "a.txt"), P(1, "sub/b.txt")));
    report("old name gone", access(P(0, "a.txt"), F_OK));
    report("open missing", open(P(0, "missing"), O_RDONLY));
    report("O_EXCL on existing", open(P(0, "sub/b.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644));
    report("rmdir non-empty", rmdir(P(0, "sub")));
    report("unlink a directory", unlink(P(0, "sub")));
    list(".");
    list("sub");

    for (int i = 0; i < 60; i++) {
        char name[64];
        snprintf(name, sizeof name, "sub/file-with-a-longish-name-%02d.dat", i);
        f = fopen(P(0, name), "w");
        fprintf(f, "%d", i * i);
        fclose(f);
    }
    list("sub");
    for (int i = 0; i < 60; i++) {
        char name[64];
        snprintf(name, sizeof name, "sub/file-with-a-longish-name-%02d.dat", i);
        unlink(P(0, name));
    }
    printf("unlink %d\n", unlink(P(0, "sub/b.txt")));
    printf("rmdir %d\n", rmdir(P(0, "sub")));
    list(".");
    return 0;
}
