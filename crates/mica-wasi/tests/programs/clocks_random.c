// Clocks (realtime, monotonic, process and thread CPU time), sleeping, and randomness. Prints
// only facts that hold on any machine, so the output is fixed.
#include <stdio.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
    struct timespec a, b, res;
    clock_gettime(CLOCK_REALTIME, &a);
    printf("realtime after 2020: %s\n", a.tv_sec > 1577836800 ? "yes" : "no");
    printf("time() agrees: %s\n", time(NULL) - a.tv_sec < 5 ? "yes" : "no");
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("monotonic resolution positive: %s\n", ns(res) > 0 ? "yes" : "no");
    clock_gettime(CLOCK_MONOTONIC, &a);
    usleep(20000);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("slept at least 20ms: %s\n", ns(b) - ns(a) >= 20000000 ? "yes" : "no");
    struct timespec req = {0, 5000000};
    printf("nanosleep: %d\n", nanosleep(&req, NULL));
    __wasi_timestamp_t cpu1, cpu2, thread;
    __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &cpu1);
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++) x += i;
    __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &cpu2);
    printf("process cpu time advances: %s\n", cpu2 > cpu1 ? "yes" : "no");
    printf("thread cpu time: %d\n", __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &thread));
    unsigned char r1[32], r2[32], zero[32] = {0};
    printf("getentropy: %d %d\n", getentropy(r1, sizeof r1), getentropy(r2, sizeof r2));
    printf("random differs: %s\n", memcmp(r1, r2, 32) && memcmp(r1, zero, 32) ? "yes" : "no");
    sched_yield();
    printf("done\n");
    return 0;
}
