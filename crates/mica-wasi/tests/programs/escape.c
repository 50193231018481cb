// Every way out of the sandbox a guest can try through wasi-libc. argv[1] is the preopened
// directory; the test harness puts `outside.txt` beside it (outside), and the host symlinks
// `host_link` (to that file) and `host_dir_link` (to the directory holding it) inside.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#ifndef ENOTCAPABLE
#define ENOTCAPABLE 76
#endif
#include "errname.h"

static const char *base;
static char path_a[512], path_b[512];

static const char *A(const char *rel) { snprintf(path_a, sizeof path_a, "%s/%s", base, rel); return path_a; }
static const char *B(const char *rel) { snprintf(path_b, sizeof path_b, "%s/%s", base, rel); return path_b; }

static void check(const char *what, int result) {
    if (result < 0) printf("blocked: %s (%s)\n", what, errname(errno));
    else printf("ESCAPED: %s\n", what);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    base = argv[1];
    mkdir(A("sub"), 0755);
    check("open ../outside.txt", open(A("../outside.txt"), O_RDONLY));
    check("open sub/../../outside.txt", open(A("sub/../../outside.txt"), O_RDONLY));
    check("open /etc/passwd", open("/etc/passwd", O_RDONLY));
    check("create ../created.txt", open(A("../created.txt"), O_CREAT | O_WRONLY, 0644));
    check("open host symlink to a file outside", open(A("host_link"), O_RDONLY));
    check("open through host symlink to a dir outside", open(A("host_dir_link/outside.txt"), O_RDONLY));
    printf("guest symlink ../outside.txt: %d\n", symlink("../outside.txt", A("guest_link")));
    check("open guest symlink", open(A("guest_link"), O_RDONLY));
    check("stat guest symlink", ({ struct stat st; stat(A("guest_link"), &st); }));
    printf("guest symlink /etc/passwd: %s\n", symlink("/etc/passwd", A("abs_link")) < 0 ? "refused" : "created");
    check("open absolute guest symlink", open(A("abs_link"), O_RDONLY));
    printf("guest symlink sub/../..: %d\n", symlink("sub/../..", A("up_link")));
    check("open through guest dir symlink", open(A("up_link/outside.txt"), O_RDONLY));
    check("opendir ..", opendir(A("..")) ? 0 : -1);
    check("opendir host_dir_link", opendir(A("host_dir_link")) ? 0 : -1);
    check("mkdir ../newdir", mkdir(A("../newdir"), 0755));
    check("unlink ../outside.txt", unlink(A("../outside.txt")));
    check("rename into ..", (close(open(A("mine.txt"), O_CREAT | O_WRONLY, 0644)), rename(A("mine.txt"), B("../moved.txt"))));
    check("rename ../outside.txt in", rename(A("../outside.txt"), B("stolen.txt")));
    check("link ../outside.txt", link(A("../outside.txt"), B("hard.txt")));
    check("stat ../outside.txt", ({ struct stat st; stat(A("../outside.txt"), &st); }));
    char target[256];
    ssize_t n = readlink(A("guest_link"), target, sizeof target - 1);
    if (n >= 0) target[n] = 0;
    printf("readlink guest_link: %s\n", n >= 0 ? target : errname(errno));
    return 0;
}
