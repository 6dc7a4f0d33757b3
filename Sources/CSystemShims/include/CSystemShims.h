#ifndef OVCONVERT_CSYSTEMSHIMS_H
#define OVCONVERT_CSYSTEMSHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// copy_file_range(2), which Swift's Glibc module does not expose: copies up to `len` bytes from
/// `in_fd` at `*in_off` (advanced by the amount copied) to `out_fd` at its file offset, inside the kernel.
/// Returns the bytes copied, or -1 with errno set.
ssize_t ovc_copy_file_range(int in_fd, int64_t *in_off, int out_fd, size_t len);

/// Installs a handler for each of `signals[0..<count]` that only writes the signal's number to a pipe (write(2) is
/// async-signal-safe) and lets interrupted system calls restart. Returns the pipe's read end, from which
/// `ovc_wait_for_signal` reads; -1 with errno set on failure. Call once.
int ovc_install_signal_pipe(const int *signals, int count);

/// Blocks until one of the installed signals arrives and returns its number (retrying on EINTR); -1 on error.
int ovc_wait_for_signal(int fd);

#endif
