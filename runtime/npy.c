/*===- npy.c - the one .npy reader and writer of tcnn ---------------------===*
 *
 * Both tcnnc (model files) and compiled executables (--input, --param)
 * read tensors here, so one set of rules holds everywhere; they are listed
 * in docs/npy.md. Every failure is a message naming the file; nothing is
 * allocated before the header has been checked against the file's size, so
 * a lying header can never make the reader allocate or read more than the
 * file holds.
 *
 *===----------------------------------------------------------------------===*/

#include "tcnn_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* NumPy writes headers of a few hundred bytes; anything longer than this
 * is not a tensor tcnn could use. */
#define TCNN_NPY_MAX_HEADER 65536

static void *fail(char *error, size_t size, const char *path,
                  const char *what) {
  snprintf(error, size, "'%s': %s", path, what);
  return NULL;
}

/* Reads exactly `n` bytes unless the file ends first. */
static size_t read_all(int fd, void *buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t got = read(fd, (char *)buf + done, n - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    done += (size_t)got;
  }
  return done;
}

/* Finds `'key':` in the header dict; returns the text after the colon. */
static const char *dict_value(const char *header, const char *key) {
  const char *k = strstr(header, key);
  if (!k)
    return NULL;
  const char *colon = strchr(k + strlen(key), ':');
  if (!colon)
    return NULL;
  ++colon;
  while (*colon == ' ')
    ++colon;
  return colon;
}

/* Parses the header dict into `info`; returns NULL or a message. */
static const char *parse_header(const char *header, tcnn_npy_info *info) {
  const char *descr = dict_value(header, "'descr'");
  const char *fortran = dict_value(header, "'fortran_order'");
  const char *shape = dict_value(header, "'shape'");
  if (!descr || !fortran || !shape || *descr != '\'')
    return "has a malformed .npy header (it needs 'descr', "
           "'fortran_order' and 'shape')";
  const char *end = strchr(descr + 1, '\'');
  if (!end || end - descr - 1 >= (long)sizeof info->dtype)
    return "has a malformed dtype in its header";
  memcpy(info->dtype, descr + 1, (size_t)(end - descr - 1));
  info->dtype[end - descr - 1] = '\0';
  if (strncmp(fortran, "True", 4) == 0)
    return "is in Fortran order; save it in C order "
           "(numpy.ascontiguousarray)";
  if (strncmp(fortran, "False", 5) != 0)
    return "has a malformed 'fortran_order' in its header";
  if (*shape != '(')
    return "has a malformed shape in its header";
  const char *p = shape + 1;
  info->rank = 0;
  info->count = 1;
  while (1) {
    while (*p == ' ')
      ++p;
    if (*p == ')')
      break;
    if (*p < '0' || *p > '9')
      return "has a malformed shape in its header";
    int64_t d = 0;
    while (*p >= '0' && *p <= '9') {
      if (d > (INT64_MAX - 9) / 10)
        return "has a shape dimension too large to address";
      d = d * 10 + (*p++ - '0');
    }
    if (info->rank == TCNN_MAX_RANK)
      return "has more than 8 dimensions";
    info->shape[info->rank++] = d;
    if (d != 0 && info->count > INT64_MAX / d)
      return "has a shape whose element count overflows 64 bits";
    info->count *= d;
    while (*p == ' ')
      ++p;
    if (*p == ',')
      ++p;
    else if (*p != ')')
      return "has a malformed shape in its header";
  }
  return NULL;
}

static size_t dtype_size(const char *dtype) {
  if (!strcmp(dtype, "<f4") || !strcmp(dtype, "<i4"))
    return 4;
  if (!strcmp(dtype, "<i8"))
    return 8;
  return 0;
}

void *tcnn_npy_load(const char *path, int want_int64, tcnn_npy_info *info,
                    char *error, size_t error_size) {
  char msg[512];
  memset(info, 0, sizeof *info);
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return fail(error, error_size, path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    snprintf(msg, sizeof msg, "%s", strerror(errno));
    close(fd);
    return fail(error, error_size, path, msg);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return fail(error, error_size, path,
                S_ISDIR(st.st_mode) ? "is a directory, not a .npy file"
                                    : "is not a regular file");
  }
  size_t file_size = (size_t)st.st_size;
  unsigned char pre[12];
  size_t got = read_all(fd, pre, 10);
  if (got < 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
    close(fd);
    return fail(error, error_size, path,
                "is not a .npy file (no \\x93NUMPY magic)");
  }
  size_t header_len, header_start;
  if (pre[6] == 1) {
    header_len = (size_t)pre[8] | ((size_t)pre[9] << 8);
    header_start = 10;
  } else if (pre[6] == 2 || pre[6] == 3) {
    if (read_all(fd, pre + 10, 2) != 2) {
      close(fd);
      return fail(error, error_size, path, "is truncated inside its header");
    }
    header_len = (size_t)pre[8] | ((size_t)pre[9] << 8) |
                 ((size_t)pre[10] << 16) | ((size_t)pre[11] << 24);
    header_start = 12;
  } else {
    close(fd);
    snprintf(msg, sizeof msg, "has unsupported .npy format version %u",
             (unsigned)pre[6]);
    return fail(error, error_size, path, msg);
  }
  if (header_len > TCNN_NPY_MAX_HEADER) {
    close(fd);
    return fail(error, error_size, path,
                "has a header longer than 64 KiB; not a tensor file");
  }
  if (header_start + header_len > file_size) {
    close(fd);
    return fail(error, error_size, path, "is truncated inside its header");
  }
  char header[TCNN_NPY_MAX_HEADER + 1];
  if (read_all(fd, header, header_len) != header_len) {
    close(fd);
    return fail(error, error_size, path, "is truncated inside its header");
  }
  header[header_len] = '\0';
  for (size_t i = 0; i < header_len; ++i) {
    unsigned char c = (unsigned char)header[i];
    if (c != '\n' && (c < 0x20 || c > 0x7e)) {
      close(fd);
      return fail(error, error_size, path,
                  "has a header with a byte that is not printable ASCII");
    }
  }
  const char *bad = parse_header(header, info);
  if (bad) {
    close(fd);
    return fail(error, error_size, path, bad);
  }
  size_t elem = dtype_size(info->dtype);
  int is_int = info->dtype[1] == 'i';
  if (!elem || is_int != (want_int64 != 0)) {
    close(fd);
    snprintf(msg, sizeof msg, "has dtype '%s' but %s", info->dtype,
             want_int64 ? "class indices need int64 ('<i8') or int32 ('<i4')"
                        : "float32 ('<f4') is needed");
    return fail(error, error_size, path, msg);
  }
  size_t data_size = file_size - header_start - header_len;
  if ((uint64_t)info->count > (uint64_t)(SIZE_MAX / 8) ||
      (size_t)info->count * elem > data_size) {
    close(fd);
    snprintf(msg, sizeof msg,
             "is truncated: its header promises %lld values (%llu bytes) but "
             "only %zu bytes follow",
             (long long)info->count,
             (unsigned long long)info->count * (unsigned long long)elem,
             data_size);
    return fail(error, error_size, path, msg);
  }
  if ((size_t)info->count * elem < data_size) {
    close(fd);
    snprintf(msg, sizeof msg, "has %zu bytes after its %lld values",
             data_size - (size_t)info->count * elem, (long long)info->count);
    return fail(error, error_size, path, msg);
  }
  size_t out_elem = want_int64 ? 8 : 4;
  /* +1: a valid pointer for a 0-element tensor too. */
  void *data = malloc((size_t)info->count * out_elem + 1);
  if (!data) {
    close(fd);
    return fail(error, error_size, path, "out of memory");
  }
  if (read_all(fd, data, (size_t)info->count * elem) !=
      (size_t)info->count * elem) {
    close(fd);
    free(data);
    return fail(error, error_size, path, "could not be read whole");
  }
  close(fd);
  if (want_int64 && elem == 4) { /* widen int32 in place, from the end */
    for (int64_t k = info->count - 1; k >= 0; --k) {
      int32_t v;
      memcpy(&v, (char *)data + 4 * k, 4);
      ((int64_t *)data)[k] = v;
    }
  }
  if (!want_int64) {
    for (int64_t k = 0; k < info->count; ++k) {
      if (!isfinite(((float *)data)[k])) {
        snprintf(msg, sizeof msg,
                 "holds a non-finite value (%g) at flat index %lld",
                 (double)((float *)data)[k], (long long)k);
        free(data);
        return fail(error, error_size, path, msg);
      }
    }
  }
  return data;
}

void tcnn_shape_text(char *buf, size_t size, int rank, const int64_t *shape) {
  size_t n = (size_t)snprintf(buf, size, "[");
  for (int i = 0; i < rank && n < size; ++i)
    n += (size_t)snprintf(buf + n, size - n, "%s%lld", i ? ", " : "",
                          (long long)shape[i]);
  if (n < size)
    snprintf(buf + n, size - n, "]");
}

void *tcnn_npy_read(const char *path, int rank, const int64_t *shape,
                    int want_int64, char *error, size_t error_size) {
  tcnn_npy_info info;
  void *data = tcnn_npy_load(path, want_int64, &info, error, error_size);
  if (!data)
    return NULL;
  int same = info.rank == rank;
  for (int i = 0; same && i < rank; ++i)
    same = info.shape[i] == shape[i];
  if (!same) {
    char a[160], b[160], msg[400];
    tcnn_shape_text(a, sizeof a, info.rank, info.shape);
    tcnn_shape_text(b, sizeof b, rank, shape);
    snprintf(msg, sizeof msg, "has shape %s but %s is expected", a, b);
    free(data);
    return fail(error, error_size, path, msg);
  }
  return data;
}

int tcnn_npy_write(const char *path, int rank, const int64_t *shape,
                   const void *data, int is_int64, char *error,
                   size_t error_size) {
  char header[256], dims[200] = "";
  int64_t count = 1;
  size_t n = 0;
  for (int i = 0; i < rank && n < sizeof dims; ++i) {
    n += (size_t)snprintf(dims + n, sizeof dims - n, "%lld%s",
                          (long long)shape[i],
                          rank == 1 ? "," : (i + 1 < rank ? ", " : ""));
    count *= shape[i];
  }
  int len = snprintf(header, sizeof header,
                     "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                     is_int64 ? "<i8" : "<f4", dims);
  /* The data starts on a 64-byte boundary; the header ends in '\n'. */
  int total = 10 + len + 1;
  int pad = (64 - total % 64) % 64;
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
    snprintf(error, error_size, "cannot write '%s': path too long", path);
    return -1;
  }
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    snprintf(error, error_size, "cannot write '%s': %s", path, strerror(errno));
    return -1;
  }
  unsigned hl = (unsigned)(len + pad + 1);
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                           (unsigned char)(hl & 0xff), (unsigned char)(hl >> 8)};
  size_t elem = is_int64 ? 8 : 4;
  int ok = fwrite(pre, 1, 10, f) == 10 &&
           fwrite(header, 1, (size_t)len, f) == (size_t)len;
  for (int i = 0; ok && i < pad; ++i)
    ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF;
  ok = ok && fwrite(data, elem, (size_t)count, f) == (size_t)count;
  int saved = errno;
  ok = (fclose(f) == 0) && ok;
  if (ok && rename(tmp, path) != 0) {
    saved = errno;
    ok = 0;
  }
  if (!ok) {
    remove(tmp);
    snprintf(error, error_size, "cannot write '%s': %s", path,
             strerror(saved ? saved : EIO));
    return -1;
  }
  return 0;
}
