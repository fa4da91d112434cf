#ifndef TENANTSITE_CFILESWAP_H
#define TENANTSITE_CFILESWAP_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE): at every instant each name
/// points at one complete folder. Returns 0, or -1 with errno set (EINVAL/ENOSYS where unsupported).
int tenantsite_exchange_paths(const char *first, const char *second);

/// Copies a folder's POSIX ACLs (access and default) from one path to another, where the first has them.
/// Returns 0, or -1 with errno set.
int tenantsite_copy_acls(const char *from, const char *to);

#endif
