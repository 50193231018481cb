// What a guest learns about its descriptors, and what it may do with them, in one of four modes:
//   descriptors rights DIR    the preopened directory DIR: its type and rights, reopening it with
//                             the rights it holds, files created and listed through it
//   descriptors stdio         what stdin, stdout and stderr are (fdstat, fstat, isatty)
//   descriptors append DIR    pwrite on a file opened with O_APPEND (it appends, as on Linux)
//   descriptors sockets DIR   the socket calls on descriptors that are not sockets
// The Rust program descriptors_rust.rs prints the same lines.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>
#ifndef ENOTCAPABLE
#define ENOTCAPABLE 76
#endif
#include "errname.h"

static const char *type_name(int type) {
    switch (type) {
    case __WASI_FILETYPE_UNKNOWN: return "unknown";
    case __WASI_FILETYPE_BLOCK_DEVICE: return "block device";
    case __WASI_FILETYPE_CHARACTER_DEVICE: return "character device";
    case __WASI_FILETYPE_DIRECTORY: return "directory";
    case __WASI_FILETYPE_REGULAR_FILE: return "regular file";
    case __WASI_FILETYPE_SOCKET_DGRAM: return "datagram socket";
    case __WASI_FILETYPE_SOCKET_STREAM: return "stream socket";
    case __WASI_FILETYPE_SYMBOLIC_LINK: return "symbolic link";
    default: return "?";
    }
}

static const char *mode_name(mode_t mode) {
    if (S_ISREG(mode)) return "regular file";
    if (S_ISDIR(mode)) return "directory";
    if (S_ISCHR(mode)) return "character device";
    if (S_ISBLK(mode)) return "block device";
    if (S_ISSOCK(mode)) return "socket";
    if (S_ISLNK(mode)) return "symbolic link";
    return "unknown";
}

/// The descriptor of the preopened directory named `name`, or -1.
static int preopen(const char *name) {
    for (int fd = 3;; fd++) {
        __wasi_prestat_t prestat;
        if (__wasi_fd_prestat_get(fd, &prestat) != 0) return -1;
        char buf[256];
        size_t len = prestat.u.dir.pr_name_len;
        if (len >= sizeof buf || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, len) != 0)
            continue;
        buf[len] = 0;
        if (strcmp(buf, name) == 0) return fd;
    }
}

static char pathbuf[512];

static const char *P(const char *dir, const char *name) {
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", dir, name);
    return pathbuf;
}

static void print_file(const char *path) {
    char buf[256] = {0};
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\n') buf[i] = '|';
    printf("contents [%s]\n", buf);
}

static int rights(const char *dir) {
    int fd = preopen(dir);
    __wasi_fdstat_t st;
    __wasi_errno_t err = __wasi_fd_fdstat_get(fd, &st);
    printf("fdstat %s: %s, base %#llx, inheriting %#llx\n", errname(err), type_name(st.fs_filetype),
           (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
    printf("base within inheriting: %s\n",
           (st.fs_rights_base & ~st.fs_rights_inheriting) == 0 ? "yes" : "no");

    // The directory again, with exactly the rights the preopen holds.
    __wasi_fd_t again;
    err = __wasi_path_open(fd, 0, ".", __WASI_OFLAGS_DIRECTORY, st.fs_rights_base,
                           st.fs_rights_inheriting, 0, &again);
    printf("reopen with the same rights: %s\n", errname(err));
    __wasi_fdstat_t st2;
    if (err == 0 && __wasi_fd_fdstat_get(again, &st2) == 0)
        printf("reopened: %s, same rights: %s\n", type_name(st2.fs_filetype),
               st2.fs_rights_base == st.fs_rights_base &&
                       st2.fs_rights_inheriting == st.fs_rights_inheriting
                   ? "yes"
                   : "no");

    // A file through the reopened directory, asking for everything it passes on.
    __wasi_fd_t file;
    err = __wasi_path_open(again, 0, "made.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                           st.fs_rights_inheriting, 0, 0, &file);
    printf("create with the inheriting rights: %s\n", errname(err));
    if (err == 0 && __wasi_fd_fdstat_get(file, &st2) == 0) {
        printf("created: %s, base %#llx\n", type_name(st2.fs_filetype),
               (unsigned long long)st2.fs_rights_base);
        (void)__wasi_fd_close(file);
    }

    // Asking for more than the preopen passes on gives what it passes on.
    err = __wasi_path_open(fd, 0, "made.txt", 0, (1ull << 30) - 1, (1ull << 30) - 1, 0, &file);
    printf("open asking for every right: %s\n", errname(err));
    if (err == 0 && __wasi_fd_fdstat_get(file, &st2) == 0) {
        printf("given: base %#llx, inheriting %#llx\n", (unsigned long long)st2.fs_rights_base,
               (unsigned long long)st2.fs_rights_inheriting);
        (void)__wasi_fd_close(file);
    }

    // What libc does with those rights: fopen "w" truncates, "a" appends, a directory is listed.
    FILE *f = fopen(P(dir, "made.txt"), "w");
    printf("fopen w: %s\n", f ? "OK" : errname(errno));
    if (f) fputs("first\n", f), fclose(f);
    f = fopen(P(dir, "made.txt"), "a");
    printf("fopen a: %s\n", f ? "OK" : errname(errno));
    if (f) fputs("second\n", f), fclose(f);
    print_file(P(dir, "made.txt"));
    printf("mkdir: %s\n", mkdir(P(dir, "sub"), 0755) == 0 ? "OK" : errname(errno));
    int nested = open(P(dir, "sub/nested.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    printf("nested create: %s\n", nested >= 0 ? "OK" : errname(errno));
    if (nested >= 0) close(nested);
    DIR *d = opendir(dir);
    int entries = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) entries++;
    if (d) closedir(d);
    printf("listing: %d entries\n", entries);
    printf("cleanup: %s %s %s\n", unlink(P(dir, "sub/nested.txt")) == 0 ? "OK" : errname(errno),
           rmdir(P(dir, "sub")) == 0 ? "OK" : errname(errno),
           unlink(P(dir, "made.txt")) == 0 ? "OK" : errname(errno));
    return 0;
}

static int stdio(void) {
    for (int fd = 0; fd <= 2; fd++) {
        __wasi_fdstat_t st;
        struct stat s;
        __wasi_errno_t err = __wasi_fd_fdstat_get(fd, &st);
        const char *fdstat = err == 0 ? type_name(st.fs_filetype) : errname(err);
        const char *fstat_type = fstat(fd, &s) == 0 ? mode_name(s.st_mode) : errname(errno);
        printf("fd %d: %s, fstat %s, tty %s\n", fd, fdstat, fstat_type, isatty(fd) ? "yes" : "no");
    }
    return 0;
}

static void report(const char *what, long result) {
    printf("%s %ld %s\n", what, result, result < 0 ? errname(errno) : "OK");
}

static int append(const char *dir) {
    const char *path = P(dir, "log");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    report("write", write(fd, "hello", 5));
    close(fd);
    fd = open(path, O_WRONLY | O_APPEND);
    report("open append", fd < 0 ? -1 : 0);
    report("pwrite at 0", pwrite(fd, "XY", 2, 0));
    report("pwrite at 100", pwrite(fd, "Z", 1, 100));
    report("position", lseek(fd, 0, SEEK_CUR));
    report("write", write(fd, "!", 1));
    report("position", lseek(fd, 0, SEEK_CUR));
    close(fd);

    // Opened with only the rights to read and write (no fd_seek), in append mode.
    __wasi_fd_t raw;
    __wasi_errno_t err = __wasi_path_open(preopen(dir), 0, "log", 0,
                                          __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0,
                                          __WASI_FDFLAGS_APPEND, &raw);
    printf("raw open %s\n", errname(err));
    __wasi_ciovec_t iov = {(const uint8_t *)"+", 1};
    __wasi_size_t n = 0;
    err = __wasi_fd_pwrite(raw, &iov, 1, 3, &n);
    printf("raw pwrite at 3: %s %u\n", errname(err), (unsigned)n);
    (void)__wasi_fd_close(raw);

    print_file(path);
    struct stat s;
    stat(path, &s);
    printf("size %lld\n", (long long)s.st_size);
    report("unlink", unlink(path));
    return 0;
}

static int sockets(const char *dir) {
    int file = open(P(dir, "plain"), O_RDWR | O_CREAT | O_TRUNC, 0644);
    int targets[] = {0, 1, 2, preopen(dir), file};
    const char *names[] = {"stdin", "stdout", "stderr", "preopen", "file"};
    for (int i = 0; i < 5; i++) {
        int result = shutdown(targets[i], SHUT_RDWR);
        printf("shutdown %s: %s\n", names[i], result == 0 ? "OK" : errname(errno));
    }
    printf("shutdown closed: %s\n", shutdown(99, SHUT_WR) == 0 ? "OK" : errname(errno));
    printf("raw shutdown, undefined how: %s\n", errname(__wasi_sock_shutdown(1, 4)));
    char byte;
    __wasi_iovec_t iov = {(uint8_t *)&byte, 1};
    __wasi_ciovec_t ciov = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    __wasi_roflags_t roflags;
    __wasi_fd_t accepted;
    printf("raw recv: %s\n", errname(__wasi_sock_recv(file, &iov, 1, 0, &n, &roflags)));
    printf("raw send: %s\n", errname(__wasi_sock_send(1, &ciov, 1, 0, &n)));
    printf("raw accept: %s\n", errname(__wasi_sock_accept(file, 0, &accepted)));
    close(file);
    unlink(P(dir, "plain"));
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    const char *dir = argc > 2 ? argv[2] : "/dir";
    if (strcmp(mode, "rights") == 0) return rights(dir);
    if (strcmp(mode, "stdio") == 0) return stdio();
    if (strcmp(mode, "append") == 0) return append(dir);
    if (strcmp(mode, "sockets") == 0) return sockets(dir);
    fprintf(stderr, "usage: descriptors rights|stdio|append|sockets [DIR]\n");
    return 2;
}
