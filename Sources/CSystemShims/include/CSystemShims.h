#ifndef OVCONVERT_CSYSTEMSHIMS_H
#define OVCONVERT_CSYSTEMSHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// copy_file_range(2), which Swift's Glibc module does not expose: copies up to `len` bytes from
/// `in_fd` at `*in_off` (advanced by the amount copied) to `out_fd` at its file offset, inside the kernel.
/// Returns the bytes copied, or -1 with errno set.
ssize_t ovc_copy_file_range(int in_fd, int64_t *in_off, int out_fd, size_t len);

#endif
