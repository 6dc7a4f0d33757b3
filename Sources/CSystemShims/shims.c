#define _GNU_SOURCE
#include <unistd.h>
#include "CSystemShims.h"

ssize_t ovc_copy_file_range(int in_fd, int64_t *in_off, int out_fd, size_t len) {
    loff_t off = (loff_t)*in_off;
    ssize_t n = copy_file_range(in_fd, &off, out_fd, NULL, len, 0);
    if (n > 0) *in_off = (int64_t)off;
    return n;
}
