/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-multipart-stream"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "epsimo-multipart-stream.h"

/* Async reads are served from blocks this big, read ahead by a worker thread. */
#define READ_AHEAD_SIZE (256 * 1024)

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

  /* Reading state, owned by whoever holds io_lock: a synchronous read, or
   * the worker thread reading ahead for the async reads. */
  GMutex            io_lock;
  int               started;      /* atomic */
  guint             current;
  goffset           offset;       /* within the current segment */
  GInputStream     *file_stream;
  GError           *pending_error;

  /* Async reads (main thread). libsoup sends a body by splicing it 8 KiB at
   * a time; a worker thread hop for each of those capped an upload at a
   * third of what curl sends. So a worker reads READ_AHEAD_SIZE blocks
   * ahead, and most reads are a copy from memory: two blocks at most are
   * held, and file I/O still never blocks the main loop. */
  GBytes           *block;        /* being handed out */
  gsize             block_offset;
  GBytes           *next_block;   /* read after it */
  gboolean          filling;      /* a worker is reading the next block */
  gboolean          drained;      /* the end was read */
  GError           *fill_error;
  GTask            *waiting;      /* a read that came before its data */
  void             *waiting_buffer;
  gsize             waiting_count;
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
  g_clear_pointer (&self->block, g_bytes_unref);
  g_clear_pointer (&self->next_block, g_bytes_unref);
  g_clear_error (&self->fill_error);
  g_mutex_clear (&self->io_lock);

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

/* Reads the segments from where the last read stopped; the caller holds io_lock. */
static gssize
read_segments (EpsimoMultipartStream  *self,
               void                   *buffer,
               gsize                   count,
               GCancellable           *cancellable,
               GError                **error)
{
  gsize filled = 0;

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

/* Copies what async reads read ahead and did not hand out yet. */
static gsize
take_read_ahead (EpsimoMultipartStream *self,
                 void                  *buffer,
                 gsize                  count)
{
  gsize size;

  if ((self->block == NULL || self->block_offset == g_bytes_get_size (self->block))
      && self->next_block != NULL)
    {
      g_clear_pointer (&self->block, g_bytes_unref);
      self->block = g_steal_pointer (&self->next_block);
      self->block_offset = 0;
    }
  if (self->block == NULL)
    return 0;

  size = MIN (count, g_bytes_get_size (self->block) - self->block_offset);
  memcpy (buffer, (const guint8 *) g_bytes_get_data (self->block, NULL) + self->block_offset,
          size);
  self->block_offset += size;
  return size;
}

static gssize
epsimo_multipart_stream_read_fn (GInputStream  *stream,
                                 void          *buffer,
                                 gsize          count,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  EpsimoMultipartStream *self = EPSIMO_MULTIPART_STREAM (stream);
  gsize taken;
  gssize n;

  g_atomic_int_set (&self->started, TRUE);

  /* What an async read left read ahead comes first. (A stream is read one way or
   * the other: a synchronous read does not wait for a block still being read.) */
  taken = take_read_ahead (self, buffer, count);
  if (taken > 0)
    return (gssize) taken;
  if (self->fill_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->fill_error));
      return -1;
    }

  g_mutex_lock (&self->io_lock);
  n = read_segments (self, buffer, count, cancellable, error);
  g_mutex_unlock (&self->io_lock);
  return n;
}

/* Reading ahead for the async reads */

static void
fill_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  EpsimoMultipartStream *self = source_object;
  guint8 *data = g_malloc (READ_AHEAD_SIZE);
  GError *error = NULL;
  gsize filled = 0;

  g_mutex_lock (&self->io_lock);
  while (filled < READ_AHEAD_SIZE)
    {
      gssize n = read_segments (self, data + filled, READ_AHEAD_SIZE - filled, NULL, &error);

      if (n <= 0)
        break;
      filled += (gsize) n;
    }
  /* Hand over what was read; the error comes with the next block. */
  if (error != NULL && filled > 0)
    self->pending_error = g_steal_pointer (&error);
  g_mutex_unlock (&self->io_lock);

  if (error != NULL)
    {
      g_free (data);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_bytes_new_take (data, filled), (GDestroyNotify) g_bytes_unref);
}

static gboolean serve_read (EpsimoMultipartStream *self,
                            GTask                 *task,
                            void                  *buffer,
                            gsize                  count);

static void
on_filled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EpsimoMultipartStream *self = EPSIMO_MULTIPART_STREAM (source);
  GError *error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);

  self->filling = FALSE;
  if (bytes == NULL)
    self->fill_error = error;
  else if (g_bytes_get_size (bytes) == 0)
    {
      self->drained = TRUE;
      g_bytes_unref (bytes);
    }
  else
    self->next_block = bytes;

  if (self->waiting != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->waiting);

      serve_read (self, task, self->waiting_buffer, self->waiting_count);
    }
}

/* Keeps one block read ahead of the one being handed out. */
static void
start_fill (EpsimoMultipartStream *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->filling || self->next_block != NULL || self->drained || self->fill_error != NULL)
    return;

  self->filling = TRUE;
  task = g_task_new (self, NULL, on_filled, NULL);
  g_task_set_source_tag (task, start_fill);
  g_task_run_in_thread (task, fill_thread);
}

/* Completes @task from what was read ahead; FALSE when nothing is there yet. */
static gboolean
serve_read (EpsimoMultipartStream *self,
            GTask                 *task,
            void                  *buffer,
            gsize                  count)
{
  gsize taken = take_read_ahead (self, buffer, count);

  if (taken > 0)
    g_task_return_int (task, (gssize) taken);
  else if (self->fill_error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->fill_error));
  else if (self->drained)
    g_task_return_int (task, 0);
  else
    return FALSE;

  start_fill (self);
  return TRUE;
}

static void
epsimo_multipart_stream_read_async (GInputStream        *stream,
                                    void                *buffer,
                                    gsize                count,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  EpsimoMultipartStream *self = EPSIMO_MULTIPART_STREAM (stream);
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, epsimo_multipart_stream_read_async);
  g_task_set_priority (task, io_priority);
  g_atomic_int_set (&self->started, TRUE);

  if (g_task_return_error_if_cancelled (task) || serve_read (self, task, buffer, count))
    return;

  /* GInputStream allows one read at a time: at most one waits. */
  self->waiting = g_steal_pointer (&task);
  self->waiting_buffer = buffer;
  self->waiting_count = count;
  start_fill (self);
}

static gssize
epsimo_multipart_stream_read_finish (GInputStream  *stream,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
epsimo_multipart_stream_close_fn (GInputStream  *stream,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  EpsimoMultipartStream *self = EPSIMO_MULTIPART_STREAM (stream);
  gboolean ret = TRUE;

  /* A block may still be being read ahead: the file is closed after it. */
  g_mutex_lock (&self->io_lock);
  if (self->file_stream != NULL)
    {
      ret = g_input_stream_close (self->file_stream, cancellable, error);
      g_clear_object (&self->file_stream);
    }

  g_clear_error (&self->pending_error);
  g_mutex_unlock (&self->io_lock);

  return ret;
}

static void
epsimo_multipart_stream_class_init (EpsimoMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = epsimo_multipart_stream_finalize;

  /* Closing has no async vfunc: GInputStream runs it in a worker thread, as
   * it does reading ahead, so file I/O never blocks the main loop. */
  stream_class->read_fn = epsimo_multipart_stream_read_fn;
  stream_class->read_async = epsimo_multipart_stream_read_async;
  stream_class->read_finish = epsimo_multipart_stream_read_finish;
  stream_class->close_fn = epsimo_multipart_stream_close_fn;
}

static void
epsimo_multipart_stream_init (EpsimoMultipartStream *self)
{
  g_mutex_init (&self->io_lock);
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
