#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "CSystemShims.h"

ssize_t ovc_copy_file_range(int in_fd, int64_t *in_off, int out_fd, size_t len) {
    loff_t off = (loff_t)*in_off;
    ssize_t n = copy_file_range(in_fd, &off, out_fd, NULL, len, 0);
    if (n > 0) *in_off = (int64_t)off;
    return n;
}

static int ovc_signal_write_fd = -1;

static void ovc_on_signal(int sig) {
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    ssize_t ignored = write(ovc_signal_write_fd, &byte, 1);  // non-blocking: a full pipe already holds a signal
    (void)ignored;
    errno = saved;
}

int ovc_install_signal_pipe(const int *signals, int count) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    if (fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    ovc_signal_write_fd = fds[1];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ovc_on_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (int k = 0; k < count; k++) {
        if (sigaction(signals[k], &action, NULL) != 0) return -1;
    }
    return fds[0];
}

int ovc_wait_for_signal(int fd) {
    unsigned char byte;
    for (;;) {
        ssize_t n = read(fd, &byte, 1);
        if (n == 1) return byte;
        if (n < 0 && errno == EINTR) continue;
        return -1;
    }
}
