/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-multipart-stream"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-multipart-stream.h"

/* The body is a list of segments: part headers and field values are small
 * and kept in memory; file contents are read from disk only when reached. */
typedef struct
{
  GBytes  *bytes;         /* in memory, or NULL for a file */
  GFile   *file;
  char    *display_name;  /* for error messages */
  goffset  size;
} Segment;

struct _EpsimoMultipartStream
{
  GInputStream      parent_instance;

  char             *boundary;
  char             *content_type;
  GPtrArray        *segments;     /* of Segment, the closing boundary last */
  goffset           length;

  /* Reading state; GInputStream lets only one operation run at a time, so
   * the worker thread of the default async read owns these while it runs. */
  int               started;      /* atomic */
  guint             current;
  goffset           offset;       /* within the current segment */
  GInputStream     *file_stream;
  GError           *pending_error;
};

G_DEFINE_FINAL_TYPE (EpsimoMultipartStream, epsimo_multipart_stream, G_TYPE_INPUT_STREAM)

static void
segment_free (Segment *segment)
{
  g_clear_pointer (&segment->bytes, g_bytes_unref);
  g_clear_object (&segment->file);
  g_clear_pointer (&segment->display_name, g_free);
  g_free (segment);
}

static Segment *
segment_copy (const Segment *segment)
{
  Segment *copy = g_new0 (Segment, 1);

  copy->bytes = segment->bytes ? g_bytes_ref (segment->bytes) : NULL;
  copy->file = segment->file ? g_object_ref (segment->file) : NULL;
  copy->display_name = g_strdup (segment->display_name);
  copy->size = segment->size;

  return copy;
}

static void
append_bytes (EpsimoMultipartStream *self,
              GBytes                *bytes)
{
  Segment *segment = g_new0 (Segment, 1);

  segment->bytes = bytes;
  segment->size = g_bytes_get_size (bytes);
  self->length += segment->size;

  /* Keep the closing boundary last. */
  g_ptr_array_insert (self->segments, self->segments->len - 1, segment);
}

static void
append_text (EpsimoMultipartStream *self,
             GString               *text)
{
  append_bytes (self, g_string_free_to_bytes (text));
}

static void
epsimo_multipart_stream_finalize (GObject *object)
{
  EpsimoMultipartStream *self = (EpsimoMultipartStream *)object;

  g_clear_pointer (&self->boundary, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->segments, g_ptr_array_unref);
  g_clear_object (&self->file_stream);
  g_clear_error (&self->pending_error);

  G_OBJECT_CLASS (epsimo_multipart_stream_parent_class)->finalize (object);
}

static gboolean
fail_file (Segment  *segment,
           GError   *error,
           GError  **out_error)
{
  g_propagate_prefixed_error (out_error, error,
                              /* Translators: %s is a file name, then the reason */
                              _("Could not read “%s”: "), segment->display_name);
  return FALSE;
}

static gboolean
open_file (EpsimoMultipartStream  *self,
           Segment                *segment,
           GCancellable           *cancellable,
           GError                **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GError *local_error = NULL;

  stream = g_file_read (segment->file, cancellable, &local_error);
  if (stream == NULL)
    return fail_file (segment, local_error, error);

  /* The Content-Length is already promised: a file of another size now
   * would make the body lie about its length. */
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, &local_error);
  if (info == NULL)
    return fail_file (segment, local_error, error);

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE)
      && g_file_info_get_size (info) != segment->size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” changed after it was added to the upload; add it again"),
                   segment->display_name);
      return FALSE;
    }

  self->file_stream = G_INPUT_STREAM (g_steal_pointer (&stream));
  return TRUE;
}

static gssize
read_segment (EpsimoMultipartStream  *self,
              Segment                *segment,
              guint8                 *buffer,
              gsize                   count,
              GCancellable           *cancellable,
              GError                **error)
{
  gsize left = (gsize) (segment->size - self->offset);
  gssize n;

  count = MIN (count, left);

  if (segment->bytes != NULL)
    {
      const guint8 *data = g_bytes_get_data (segment->bytes, NULL);

      memcpy (buffer, data + self->offset, count);
      return (gssize) count;
    }

  if (self->file_stream == NULL && !open_file (self, segment, cancellable, error))
    return -1;

  n = g_input_stream_read (self->file_stream, buffer, count, cancellable, error);
  if (n < 0)
    {
      g_prefix_error (error, _("Could not read “%s”: "), segment->display_name);
      return -1;
    }

  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” became shorter while it was being uploaded"),
                   segment->display_name);
      return -1;
    }

  return n;
}

static gssize
epsimo_multipart_stream_read_fn (GInputStream  *stream,
                                 void          *buffer,
                                 gsize          count,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  EpsimoMultipartStream *self = EPSIMO_MULTIPART_STREAM (stream);
  gsize filled = 0;

  g_atomic_int_set (&self->started, TRUE);

  if (self->pending_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->pending_error));
      return -1;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  while (filled < count && self->current < self->segments->len)
    {
      Segment *segment = g_ptr_array_index (self->segments, self->current);
      GError *local_error = NULL;
      gssize n = 0;

      if (self->offset < segment->size)
        {
          n = read_segment (self, segment, (guint8 *) buffer + filled, count - filled,
                            cancellable, &local_error);
          if (n < 0)
            {
              /* Hand over what was read; the error comes with the next read. */
              if (filled > 0)
                {
                  self->pending_error = local_error;
                  return (gssize) filled;
                }
              g_propagate_error (error, local_error);
              return -1;
            }
        }

      filled += (gsize) n;
      self->offset += n;

      if (self->offset >= segment->size)
        {
          if (self->file_stream != NULL)
            {
              /* A read-only local file: nothing to report on close. */
              g_input_stream_close (self->file_stream, NULL, NULL);
              g_clear_object (&self->file_stream);
            }
          self->current++;
          self->offset = 0;
        }
      else if (segment->file != NULL)
        {
          /* Return file data as it comes rather than block for more. */
          break;
        }
    }

  return (gssize) filled;
}

static gboolean
epsimo_multipart_stream_close_fn (GInputStream  *stream,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  EpsimoMultipartStream *self = EPSIMO_MULTIPART_STREAM (stream);
  gboolean ret = TRUE;

  if (self->file_stream != NULL)
    {
      ret = g_input_stream_close (self->file_stream, cancellable, error);
      g_clear_object (&self->file_stream);
    }

  g_clear_error (&self->pending_error);

  return ret;
}

static void
epsimo_multipart_stream_class_init (EpsimoMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = epsimo_multipart_stream_finalize;

  /* No async vfuncs: GInputStream runs these in a worker thread, so file
   * I/O never blocks the main loop. */
  stream_class->read_fn = epsimo_multipart_stream_read_fn;
  stream_class->close_fn = epsimo_multipart_stream_close_fn;
}

static void
epsimo_multipart_stream_init (EpsimoMultipartStream *self)
{
  self->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
}

static EpsimoMultipartStream *
new_with_boundary (const char *boundary)
{
  EpsimoMultipartStream *self = g_object_new (EPSIMO_TYPE_MULTIPART_STREAM, NULL);
  g_autofree char *closing = g_strdup_printf ("--%s--\r\n", boundary);
  Segment *segment = g_new0 (Segment, 1);

  self->boundary = g_strdup (boundary);
  self->content_type = g_strdup_printf ("multipart/form-data; boundary=%s", boundary);

  segment->size = (goffset) strlen (closing);
  segment->bytes = g_bytes_new_take (g_steal_pointer (&closing), (gsize) segment->size);
  g_ptr_array_add (self->segments, segment);
  self->length = segment->size;

  return self;
}

/**
 * epsimo_multipart_stream_new:
 *
 * Returns: (transfer full): an empty multipart/form-data body with a random
 *   boundary
 */
EpsimoMultipartStream *
epsimo_multipart_stream_new (void)
{
  g_autoptr(GString) boundary = g_string_new ("EpsimoFormBoundary");

  /* 192 random bits: a file containing the boundary by chance is not a concern. */
  for (guint i = 0; i < 6; i++)
    g_string_append_printf (boundary, "%08x", g_random_int ());

  return new_with_boundary (boundary->str);
}

/**
 * epsimo_multipart_stream_dup:
 * @self: a multipart stream
 *
 * libsoup needs a fresh body when it restarts a message (redirect,
 * authentication) and a retry needs one too.
 *
 * Returns: (transfer full): a new, unread stream with the same parts and boundary
 */
EpsimoMultipartStream *
epsimo_multipart_stream_dup (EpsimoMultipartStream *self)
{
  EpsimoMultipartStream *copy;

  g_return_val_if_fail (EPSIMO_IS_MULTIPART_STREAM (self), NULL);

  copy = new_with_boundary (self->boundary);
  g_ptr_array_set_size (copy->segments, 0);
  for (guint i = 0; i < self->segments->len; i++)
    g_ptr_array_add (copy->segments, segment_copy (g_ptr_array_index (self->segments, i)));
  copy->length = self->length;

  return copy;
}

/* A quoted-string parameter (RFC 7578 section 4.2): quote `"` and `\`, and
 * drop control characters, CR and LF above all, which would end the header. */
static void
append_quoted (GString    *string,
               const char *value)
{
  g_string_append_c (string, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f)
        continue;
      if (c == '"' || c == '\\')
        g_string_append_c (string, '\\');
      g_string_append_c (string, (char) c);
    }
  g_string_append_c (string, '"');
}

static GString *
part_header (EpsimoMultipartStream *self,
             const char            *name,
             const char            *filename)
{
  GString *header = g_string_new (NULL);

  g_string_append_printf (header, "--%s\r\nContent-Disposition: form-data; name=", self->boundary);
  append_quoted (header, name);
  if (filename != NULL)
    {
      g_string_append (header, "; filename=");
      append_quoted (header, filename);
    }
  g_string_append (header, "\r\n");

  return header;
}

/**
 * epsimo_multipart_stream_add_field:
 * @self: a multipart stream not yet read
 * @name: the field name
 * @value: the field value (UTF-8)
 *
 * Adds a text field.
 */
void
epsimo_multipart_stream_add_field (EpsimoMultipartStream *self,
                                   const char            *name,
                                   const char            *value)
{
  GString *header;

  g_return_if_fail (EPSIMO_IS_MULTIPART_STREAM (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);
  g_return_if_fail (!g_atomic_int_get (&self->started));

  header = part_header (self, name, NULL);
  g_string_append (header, "\r\n");
  g_string_append (header, value);
  g_string_append (header, "\r\n");
  append_text (self, header);
}

/**
 * epsimo_multipart_stream_add_file:
 * @self: a multipart stream not yet read
 * @name: the field name (several files may share it)
 * @file: a regular file
 * @filename: (nullable): the name the server sees, or %NULL for @file's
 *   display name
 * @content_type: (nullable): the part's MIME type, or %NULL to guess it
 *   from the name
 * @error: return location for a #GIOError
 *
 * Adds a file part. The size is queried now (blocking); the contents are read
 * only when the body is.
 *
 * Returns: %TRUE on success
 */
gboolean
epsimo_multipart_stream_add_file (EpsimoMultipartStream  *self,
                                  const char             *name,
                                  GFile                  *file,
                                  const char             *filename,
                                  const char             *content_type,
                                  GError                **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *guessed_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *parse_name = NULL;
  GError *local_error = NULL;
  GString *header;
  Segment *segment;
  GString *crlf;

  g_return_val_if_fail (EPSIMO_IS_MULTIPART_STREAM (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (!g_atomic_int_get (&self->started), FALSE);

  parse_name = g_file_get_parse_name (file);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_propagate_prefixed_error (error, local_error, _("Could not read “%s”: "), parse_name);
      return FALSE;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file"), parse_name);
      return FALSE;
    }

  if (filename == NULL)
    filename = g_file_info_get_display_name (info);

  if (content_type == NULL || *content_type == '\0')
    {
      guessed_type = g_content_type_guess (filename, NULL, 0, NULL);
      mime_type = guessed_type ? g_content_type_get_mime_type (guessed_type) : NULL;
      content_type = mime_type ? mime_type : "application/octet-stream";
    }

  header = part_header (self, name, filename);
  g_string_append (header, "Content-Type: ");
  /* Only printable ASCII in a header. */
  for (const char *p = content_type; *p != '\0'; p++)
    if ((guchar) *p >= 0x20 && (guchar) *p < 0x7f)
      g_string_append_c (header, *p);
  g_string_append (header, "\r\n\r\n");
  append_text (self, header);

  segment = g_new0 (Segment, 1);
  segment->file = g_object_ref (file);
  segment->display_name = g_strdup (filename);
  segment->size = g_file_info_get_size (info);
  self->length += segment->size;
  g_ptr_array_insert (self->segments, self->segments->len - 1, segment);

  crlf = g_string_new ("\r\n");
  append_text (self, crlf);

  return TRUE;
}

/**
 * epsimo_multipart_stream_get_length:
 * @self: a multipart stream
 *
 * Returns: the exact size of the body in bytes, for Content-Length
 */
goffset
epsimo_multipart_stream_get_length (EpsimoMultipartStream *self)
{
  g_return_val_if_fail (EPSIMO_IS_MULTIPART_STREAM (self), 0);

  return self->length;
}

/**
 * epsimo_multipart_stream_get_content_type:
 * @self: a multipart stream
 *
 * Returns: (transfer none): "multipart/form-data; boundary=...", for Content-Type
 */
const char *
epsimo_multipart_stream_get_content_type (EpsimoMultipartStream *self)
{
  g_return_val_if_fail (EPSIMO_IS_MULTIPART_STREAM (self), NULL);

  return self->content_type;
}
