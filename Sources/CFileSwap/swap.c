#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "CFileSwap.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int tenantsite_exchange_paths(const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

#include <stdlib.h>
#include <sys/xattr.h>

/* Copies one extended attribute if `from` has it; 0 when copied or absent, -1 with errno otherwise. */
static int copy_attribute(const char *from, const char *to, const char *name) {
    ssize_t size = getxattr(from, name, NULL, 0);
    if (size < 0) return (errno == ENODATA || errno == ENOTSUP) ? 0 : -1;
    if (size == 0) return 0;
    char *value = malloc((size_t)size);
    if (!value) return -1;
    ssize_t read = getxattr(from, name, value, (size_t)size);
    int result = read < 0 ? -1 : setxattr(to, name, value, (size_t)read, 0);
    free(value);
    return result;
}

int tenantsite_copy_acls(const char *from, const char *to) {
    if (copy_attribute(from, to, "system.posix_acl_access") != 0) return -1;
    return copy_attribute(from, to, "system.posix_acl_default");
}
