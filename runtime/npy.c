/*===- npy.c - .npy files for tcnn executables ----------------------------===*
 *
 * The same checks as the compiler's reader: magic, version, dtype, C
 * order, shape, truncation and trailing bytes, each with a message that
 * names the file.
 *
 *===----------------------------------------------------------------------===*/

#include "tcnn_runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *fail(char *error, size_t size, const char *path, const char *what,
                  void *to_free, FILE *f) {
  snprintf(error, size, "'%s': %s", path, what);
  free(to_free);
  if (f)
    fclose(f);
  return NULL;
}

static void shape_str(char *buf, size_t size, int rank, const int64_t *shape) {
  size_t n = (size_t)snprintf(buf, size, "[");
  for (int i = 0; i < rank && n < size; ++i)
    n += (size_t)snprintf(buf + n, size - n, "%s%lld", i ? ", " : "",
                          (long long)shape[i]);
  if (n < size)
    snprintf(buf + n, size - n, "]");
}

void *tcnn_npy_read(const char *path, int rank, const int64_t *shape,
                    int want_int64, char *error, size_t error_size) {
  char msg[512];
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail(error, error_size, path, strerror(errno), NULL, NULL);
  unsigned char pre[12];
  if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0)
    return fail(error, error_size, path, "not a .npy file (no \\x93NUMPY magic)",
                NULL, f);
  size_t header_len;
  if (pre[6] == 1) {
    header_len = pre[8] | (pre[9] << 8);
  } else if (pre[6] == 2 || pre[6] == 3) {
    if (fread(pre + 10, 1, 2, f) != 2)
      return fail(error, error_size, path, "truncated inside its header", NULL,
                  f);
    header_len = (size_t)pre[8] | ((size_t)pre[9] << 8) |
                 ((size_t)pre[10] << 16) | ((size_t)pre[11] << 24);
  } else {
    return fail(error, error_size, path, "unsupported .npy format version",
                NULL, f);
  }
  if (header_len > 65536)
    return fail(error, error_size, path, "malformed .npy header", NULL, f);
  char *header = malloc(header_len + 1);
  if (!header || fread(header, 1, header_len, f) != header_len)
    return fail(error, error_size, path, "truncated inside its header", header,
                f);
  header[header_len] = '\0';

  const char *descr = strstr(header, "'descr'");
  const char *fortran = strstr(header, "'fortran_order'");
  const char *shp = strstr(header, "'shape'");
  if (!descr || !fortran || !shp)
    return fail(error, error_size, path, "malformed .npy header", header, f);
  const char *want = want_int64 ? "'<i8'" : "'<f4'";
  descr = strchr(descr + 7, '\'');
  if (!descr || strncmp(descr, want, 5) != 0) {
    char got[16] = "?";
    if (descr)
      sscanf(descr, "'%15[^']'", got);
    snprintf(msg, sizeof msg, "has dtype '%s' but %s is needed", got,
             want_int64 ? "int64 ('<i8')" : "float32 ('<f4')");
    return fail(error, error_size, path, msg, header, f);
  }
  const char *order = strchr(fortran, ':');
  while (order && (*order == ':' || *order == ' '))
    ++order;
  if (order && strncmp(order, "True", 4) == 0)
    return fail(error, error_size, path,
                "is in Fortran order; save it in C order", header, f);
  const char *p = strchr(shp, '(');
  int64_t got_shape[TCNN_MAX_RANK];
  int got_rank = 0;
  int64_t count = 1;
  if (!p)
    return fail(error, error_size, path, "malformed shape in its header",
                header, f);
  ++p;
  while (*p && *p != ')') {
    while (*p == ' ' || *p == ',')
      ++p;
    if (*p == ')')
      break;
    char *end;
    long long d = strtoll(p, &end, 10);
    if (end == p || d < 0 || got_rank == TCNN_MAX_RANK)
      return fail(error, error_size, path, "malformed shape in its header",
                  header, f);
    got_shape[got_rank++] = d;
    count *= d;
    p = end;
  }
  free(header);
  int same = got_rank == rank;
  for (int i = 0; same && i < rank; ++i)
    same = got_shape[i] == shape[i];
  if (!same) {
    char a[128], b[128];
    shape_str(a, sizeof a, got_rank, got_shape);
    shape_str(b, sizeof b, rank, shape);
    snprintf(msg, sizeof msg, "has shape %s but %s is expected", a, b);
    return fail(error, error_size, path, msg, NULL, f);
  }
  size_t elem = want_int64 ? 8 : 4;
  void *data = malloc((size_t)count * elem + 1);
  if (!data)
    return fail(error, error_size, path, "out of memory", NULL, f);
  size_t got = fread(data, elem, (size_t)count, f);
  if (got != (size_t)count) {
    snprintf(msg, sizeof msg,
             "is truncated: its header promises %lld values but only %zu "
             "follow",
             (long long)count, got);
    return fail(error, error_size, path, msg, data, f);
  }
  if (fgetc(f) != EOF)
    return fail(error, error_size, path, "has bytes after its values", data, f);
  fclose(f);
  return data;
}

int tcnn_npy_write(const char *path, int rank, const int64_t *shape,
                   const float *data, char *error, size_t error_size) {
  char header[256], dims[160] = "";
  int64_t count = 1;
  size_t n = 0;
  for (int i = 0; i < rank; ++i) {
    n += (size_t)snprintf(dims + n, sizeof dims - n, "%lld%s",
                          (long long)shape[i],
                          rank == 1 ? "," : (i + 1 < rank ? ", " : ""));
    count *= shape[i];
  }
  int len = snprintf(header, sizeof header,
                     "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }",
                     dims);
  int total = 10 + len + 1;
  int pad = (64 - total % 64) % 64;
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    snprintf(error, error_size, "cannot write '%s': %s", path, strerror(errno));
    return -1;
  }
  unsigned hl = (unsigned)(len + pad + 1);
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                           (unsigned char)(hl & 0xff), (unsigned char)(hl >> 8)};
  int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(header, 1, (size_t)len, f) ==
                                               (size_t)len;
  for (int i = 0; ok && i < pad; ++i)
    ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF;
  ok = ok && fwrite(data, sizeof(float), (size_t)count, f) == (size_t)count;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    remove(tmp);
    snprintf(error, error_size, "cannot write '%s'", path);
    return -1;
  }
  return 0;
}
