/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-state-reader"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-client-private.h"
#include "epsimo-json.h"
#include "epsimo-message.h"
#include "epsimo-state-reader.h"

#define STATE_CHUNK_SIZE (64 * 1024)
#define STATE_KEY_MAX    16

typedef enum
{
  WANT_NONE,
  WANT_VALUES,     /* the next value is the root's "values" */
  WANT_MESSAGES,   /* the next value is the values' "messages" */
} StateWant;

typedef struct
{
  EpsimoClient        *client;
  GInputStream        *stream;
  GCancellable        *cancellable;
  EpsimoStateReadMode  mode;
  guint                limit;
  char                *before;
  char                *before_quoted;  /* "ID", as it appears in the JSON of its message */
  int                  io_priority;
  EpsimoDialect        dialect;

  /* The scan */
  guint8        containers[EPSIMO_JSON_MAX_DEPTH];  /* '{' or '[' of each open level */
  guint         depth;
  gboolean      started;
  gboolean      in_string;
  gboolean      escaped;
  gboolean      in_scalar;
  gboolean      expect_key;
  gboolean      reading_key;
  GString      *key;
  StateWant     want;
  guint         values_depth;   /* the level of the values' members, or 0 */
  guint         list_depth;     /* the level of the messages, or 0 */
  gboolean      in_list;        /* the messages' list is open */
  gboolean      done;           /* all that was asked for was read */

  /* EPSIMO_STATE_READ_MESSAGES: the page */
  gboolean      in_element;
  GString      *element;
  GQueue        kept;           /* of GBytes: the newest elements read, oldest first */
  gboolean      dropped;        /* older ones were let go */
  guint         n_read;         /* elements read before the cursor (all when none) */
  gboolean      found_before;

  /* EPSIMO_STATE_READ_VALUES: the values' text, their messages written as null */
  GString      *values;
  gboolean      in_values;
  gboolean      in_messages;

  /* A reference answer (the server turned out to speak it): read whole. */
  GByteArray   *whole;
  guint64       whole_limit;
} StateReader;

static void
state_reader_free (StateReader *reader)
{
  g_clear_object (&reader->client);
  g_clear_object (&reader->stream);
  g_clear_object (&reader->cancellable);
  g_free (reader->before);
  g_free (reader->before_quoted);
  g_string_free (reader->key, TRUE);
  g_string_free (reader->element, TRUE);
  g_string_free (reader->values, TRUE);
  g_queue_clear_full (&reader->kept, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&reader->whole, g_byte_array_unref);
  g_free (reader);
}

void
epsimo_state_read_free (EpsimoStateRead *read)
{
  if (read == NULL)
    return;

  g_clear_pointer (&read->reference, json_node_unref);
  g_clear_pointer (&read->messages, g_ptr_array_unref);
  g_clear_pointer (&read->values, json_object_unref);
  g_free (read);
}

static gboolean
state_unreadable (GError **error)
{
  g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                       _("The server sent a thread state that could not be read"));
  return FALSE;
}

/* Whether the message in @text is the one with the cursor's id. */
static gboolean
is_cursor (StateReader *reader,
           const char  *text,
           gsize        len)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(EpsimoMessage) message = NULL;

  /* The id of a message sits in its JSON as a quoted string: only a message holding
   * that text can be the cursor, and only those are parsed to be sure. */
  if (reader->before_quoted == NULL || strstr (text, reader->before_quoted) == NULL)
    return FALSE;

  node = epsimo_json_parse (text, (gssize) len, NULL);
  if (node == NULL)
    return FALSE;
  message = epsimo_json_read_object (node, (EpsimoJsonReader) epsimo_message_new_from_json,
                                     _("The server sent a message that could not be read"),
                                     NULL);
  return message != NULL && g_strcmp0 (epsimo_message_get_id (message), reader->before) == 0;
}

/* A message's JSON text was read whole. */
static void
state_element_done (StateReader *reader)
{
  gsize len = reader->element->len;

  reader->in_element = FALSE;
  if (is_cursor (reader, reader->element->str, len))
    {
      reader->found_before = TRUE;
      reader->done = TRUE;
      g_string_truncate (reader->element, 0);
      return;
    }

  g_queue_push_tail (&reader->kept, g_bytes_new (reader->element->str, len));
  g_string_truncate (reader->element, 0);
  reader->n_read++;
  if (g_queue_get_length (&reader->kept) > reader->limit)
    {
      g_bytes_unref (g_queue_pop_head (&reader->kept));
      reader->dropped = TRUE;
    }
}

/* A value begins with @c at the current level (before a container is opened). */
static gboolean
state_value_starts (StateReader  *reader,
                    char          c,
                    GError      **error)
{
  StateWant want = reader->want;
  gboolean messages_mode = reader->mode == EPSIMO_STATE_READ_MESSAGES;

  reader->want = WANT_NONE;
  if (!reader->started)
    {
      reader->started = TRUE;
      return c == '{' || state_unreadable (error);
    }
  if (reader->in_element || reader->in_messages)
    return TRUE;

  if (messages_mode && reader->in_list && reader->depth == reader->list_depth)
    {
      /* A message is an object: anything else is no message. */
      if (c != '{')
        {
          g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The server sent a message that could not be read"));
          return FALSE;
        }
      reader->in_element = TRUE;
      return TRUE;
    }

  if (want == WANT_VALUES)
    {
      if (c == '{')
        {
          reader->values_depth = reader->depth + 1;
          reader->in_values = !messages_mode;
        }
      else if (c == '[')
        {
          /* The values are the conversation itself: no database. */
          reader->list_depth = reader->depth + 1;
          reader->in_list = TRUE;
          reader->done = !messages_mode;
        }
      else if (c == 'n')
        reader->done = !messages_mode;
      else
        return state_unreadable (error);
    }
  else if (want == WANT_MESSAGES)
    {
      if (c == '[')
        {
          reader->list_depth = reader->depth + 1;
          reader->in_list = TRUE;
          /* The values without the conversation: its place holds null. */
          if (!messages_mode)
            {
              g_string_append (reader->values, "null");
              reader->in_messages = TRUE;
            }
        }
      else if (c != 'n')
        return state_unreadable (error);
    }
  return TRUE;
}

static void
state_key_done (StateReader *reader)
{
  reader->reading_key = FALSE;
  if (reader->depth == 1 && strcmp (reader->key->str, "values") == 0)
    reader->want = WANT_VALUES;
  else if (reader->depth == reader->values_depth && strcmp (reader->key->str, "messages") == 0)
    reader->want = WANT_MESSAGES;
}

/* Where the text just scanned goes: a message being read, or the values. */
static void
state_keep (StateReader *reader,
            const char  *text,
            gsize        len)
{
  if (reader->in_element)
    g_string_append_len (reader->element, text, len);
  else if (reader->in_values && !reader->in_messages)
    g_string_append_len (reader->values, text, len);
}

/* Scans @len bytes of the state; FALSE with @error when they cannot be a thread state. */
static gboolean
state_scan (StateReader   *reader,
            const guint8  *data,
            gsize          len,
            GError       **error)
{
  gsize i = 0;

  while (i < len && !reader->done)
    {
      char c = (char) data[i];
      gboolean kept = FALSE;

      if (reader->in_string)
        {
          gsize start = i;
          gsize text_end;

          /* Most of the body is message text: run to the next quote or backslash. */
          if (reader->escaped)
            {
              reader->escaped = FALSE;
              i++;
            }
          else
            {
              const guint8 *quote = memchr (data + i, '"', len - i);
              const guint8 *stop = quote != NULL ? quote : data + len;
              const guint8 *backslash = memchr (data + i, '\\', (gsize) (stop - (data + i)));

              i = (gsize) ((backslash != NULL ? backslash : stop) - data);
              if (i < len)
                {
                  if (data[i] == '\\')
                    reader->escaped = TRUE;
                  else
                    reader->in_string = FALSE;
                  i++;
                }
            }

          state_keep (reader, (const char *) data + start, i - start);
          if (reader->reading_key)
            {
              text_end = reader->in_string ? i : i - 1;
              if (reader->key->len + (text_end - start) <= STATE_KEY_MAX)
                g_string_append_len (reader->key, (const char *) data + start, text_end - start);
              else
                g_string_assign (reader->key, "-");
              if (!reader->in_string)
                state_key_done (reader);
            }
          continue;
        }

      i++;
      switch (c)
        {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          reader->in_scalar = FALSE;
          break;

        case '{':
        case '[':
          if (!state_value_starts (reader, c, error))
            return FALSE;
          if (reader->depth >= EPSIMO_JSON_MAX_DEPTH)
            return state_unreadable (error);
          reader->containers[reader->depth++] = (guint8) c;
          reader->expect_key = c == '{';
          reader->in_scalar = FALSE;
          break;

        case '}':
        case ']':
          if (reader->depth == 0
              || reader->containers[reader->depth - 1] != (c == '}' ? '{' : '['))
            return state_unreadable (error);
          reader->depth--;
          reader->expect_key = FALSE;
          reader->in_scalar = FALSE;
          if (reader->in_element && reader->depth == reader->list_depth)
            {
              g_string_append_c (reader->element, c);
              state_element_done (reader);
              continue;
            }
          if (reader->in_list && reader->depth + 1 == reader->list_depth)
            {
              /* The end of the conversation: all of a page, or back to the values. */
              reader->done = reader->mode == EPSIMO_STATE_READ_MESSAGES;
              reader->in_list = FALSE;
              reader->in_messages = FALSE;
              kept = TRUE;
            }
          else if (reader->in_values && reader->depth + 1 == reader->values_depth)
            {
              g_string_append_c (reader->values, c);
              reader->in_values = FALSE;
              reader->done = TRUE;
              kept = TRUE;
            }
          break;

        case ':':
          reader->expect_key = FALSE;
          reader->in_scalar = FALSE;
          break;

        case ',':
          reader->expect_key = reader->depth > 0
                               && reader->containers[reader->depth - 1] == '{';
          reader->in_scalar = FALSE;
          break;

        case '"':
          if (reader->expect_key && reader->depth > 0
              && reader->containers[reader->depth - 1] == '{')
            {
              reader->reading_key = !reader->in_element && !reader->in_messages
                                    && (reader->depth == 1
                                        || reader->depth == reader->values_depth);
              g_string_truncate (reader->key, 0);
            }
          else if (!state_value_starts (reader, c, error))
            return FALSE;
          reader->in_string = TRUE;
          break;

        default:
          if (!reader->in_scalar)
            {
              if (!state_value_starts (reader, c, error))
                return FALSE;
              reader->in_scalar = TRUE;
            }
          break;
        }

      if (!kept)
        state_keep (reader, &c, 1);
    }

  return TRUE;
}

/* What was read, once the body is done with. */
static EpsimoStateRead *
state_result (StateReader  *reader,
              GError      **error)
{
  g_autoptr(EpsimoStateRead) read = g_new0 (EpsimoStateRead, 1);

  read->dialect = reader->dialect;
  if (reader->whole != NULL)
    {
      if (reader->whole->len > 0
          && !(read->reference = epsimo_json_parse ((const char *) reader->whole->data,
                                                    reader->whole->len, error)))
        return NULL;
      return g_steal_pointer (&read);
    }

  /* Cut short (the body ended, or was not a state). */
  if (!reader->started || (reader->depth != 0 && !reader->done))
    {
      state_unreadable (error);
      return NULL;
    }

  if (reader->mode == EPSIMO_STATE_READ_MESSAGES)
    {
      read->messages = g_ptr_array_new_full (g_queue_get_length (&reader->kept),
                                             (GDestroyNotify) g_bytes_unref);
      while (!g_queue_is_empty (&reader->kept))
        g_ptr_array_add (read->messages, g_queue_pop_head (&reader->kept));
      read->dropped = reader->dropped;
      read->n_read = reader->n_read;
      read->found_before = reader->found_before;
      return g_steal_pointer (&read);
    }

  if (reader->values->len == 0)
    {
      /* No values, null, or the conversation alone. */
      read->values = json_object_new ();
      return g_steal_pointer (&read);
    }
  else
    {
      g_autoptr(JsonNode) node = epsimo_json_parse (reader->values->str,
                                                    (gssize) reader->values->len, error);

      if (node == NULL)
        return NULL;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          state_unreadable (error);
          return NULL;
        }
      read->values = json_object_ref (json_node_get_object (node));
      if (json_object_has_member (read->values, "messages"))
        json_object_remove_member (read->values, "messages");
      return g_steal_pointer (&read);
    }
}

static void
state_closed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
}

/* Takes over @task. The rest of the body (most of the state) is not wanted. */
static void
state_finish (GTask  *task,
              GError *error)
{
  StateReader *reader = g_task_get_task_data (task);
  EpsimoStateRead *read = NULL;

  if (reader->stream != NULL)
    g_input_stream_close_async (reader->stream, G_PRIORITY_DEFAULT, NULL, state_closed, NULL);

  if (error == NULL)
    read = state_result (reader, &error);
  if (read == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, read, (GDestroyNotify) epsimo_state_read_free);
  g_object_unref (task);
}

static void
state_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  StateReader *reader = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize size;
  const guint8 *data;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      const char *base_url = epsimo_client_get_base_url (reader->client);
      g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
      g_autoptr(GError) transport = error;

      state_finish (task, epsimo_client_error_from_transport (
                            transport, uri != NULL && g_uri_get_host (uri) != NULL
                                       ? g_uri_get_host (uri) : base_url));
      return;
    }

  data = g_bytes_get_data (chunk, &size);
  if (size == 0)
    {
      state_finish (task, NULL);
      return;
    }

  if (reader->whole != NULL)
    {
      if (reader->whole->len + size > reader->whole_limit)
        {
          state_finish (task, epsimo_client_error_too_large (reader->client, 200));
          return;
        }
      g_byte_array_append (reader->whole, data, (guint) size);
    }
  else if (!state_scan (reader, data, size, &error))
    {
      state_finish (task, error);
      return;
    }

  if (reader->done)
    {
      state_finish (task, NULL);
      return;
    }

  g_input_stream_read_bytes_async (reader->stream, STATE_CHUNK_SIZE, reader->io_priority,
                                   reader->cancellable, state_read_cb, task);
}

static void
state_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  StateReader *reader = g_task_get_task_data (task);
  GError *error = NULL;

  reader->stream = epsimo_client_open_body_finish (EPSIMO_CLIENT (source), result,
                                                   &reader->dialect, &error);
  if (reader->stream == NULL)
    {
      state_finish (task, error);
      return;
    }

  /* A reference answer is small: a page the server made, or the database alone. */
  if (reader->dialect == EPSIMO_DIALECT_REFERENCE)
    {
      g_object_get (source, "max-response-size", &reader->whole_limit, NULL);
      reader->whole = g_byte_array_new ();
    }

  g_input_stream_read_bytes_async (reader->stream, STATE_CHUNK_SIZE, reader->io_priority,
                                   reader->cancellable, state_read_cb, task);
}

static StateReader *
state_reader_new (EpsimoStateReadMode  mode,
                  guint                limit,
                  const char          *before)
{
  StateReader *reader = g_new0 (StateReader, 1);

  reader->mode = mode;
  reader->limit = MAX (limit, 1);
  if (before != NULL && *before != '\0')
    {
      reader->before = g_strdup (before);
      reader->before_quoted = g_strdup_printf ("\"%s\"", before);
    }
  reader->key = g_string_new (NULL);
  reader->element = g_string_new (NULL);
  reader->values = g_string_new (NULL);
  g_queue_init (&reader->kept);
  return reader;
}

EpsimoStateRead *
epsimo_state_reader_scan_text (EpsimoStateReadMode   mode,
                               guint                 limit,
                               const char           *before,
                               const char           *text,
                               gssize                len,
                               gsize                 piece,
                               GError              **error)
{
  StateReader *reader;
  EpsimoStateRead *read = NULL;
  gboolean scanned = TRUE;

  g_return_val_if_fail (piece > 0, NULL);

  if (len < 0)
    len = (gssize) strlen (text);
  reader = state_reader_new (mode, limit, before);
  reader->dialect = EPSIMO_DIALECT_LIVE;
  for (gsize at = 0; at < (gsize) len && scanned && !reader->done; at += piece)
    scanned = state_scan (reader, (const guint8 *) text + at, MIN (piece, (gsize) len - at),
                          error);
  if (scanned)
    read = state_result (reader, error);
  state_reader_free (reader);
  return read;
}

void
epsimo_state_reader_read_async (EpsimoClient        *client,
                                EpsimoRequest       *request,
                                EpsimoStateReadMode  mode,
                                guint                limit,
                                const char          *before,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  StateReader *reader;

  g_return_if_fail (EPSIMO_IS_CLIENT (client));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_state_reader_read_async);

  reader = state_reader_new (mode, limit, before);
  reader->client = g_object_ref (client);
  reader->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  reader->io_priority = io_priority;
  g_task_set_task_data (task, reader, (GDestroyNotify) state_reader_free);

  epsimo_client_open_body_async (client, request, cancellable, state_opened_cb, task);
}

EpsimoStateRead *
epsimo_state_reader_read_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_state_reader_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
