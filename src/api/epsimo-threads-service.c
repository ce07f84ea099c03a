/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-threads-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-client-private.h"
#include "epsimo-json.h"
#include "epsimo-threads-service.h"

struct _EpsimoThreadsService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoThreadsService, epsimo_threads_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_threads_service_dispose (GObject *object)
{
  EpsimoThreadsService *self = (EpsimoThreadsService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_threads_service_parent_class)->dispose (object);
}

static void
epsimo_threads_service_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EpsimoThreadsService *self = EPSIMO_THREADS_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_threads_service_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EpsimoThreadsService *self = EPSIMO_THREADS_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_threads_service_class_init (EpsimoThreadsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_threads_service_dispose;
  object_class->get_property = epsimo_threads_service_get_property;
  object_class->set_property = epsimo_threads_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_threads_service_init (EpsimoThreadsService *self)
{
}

EpsimoThreadsService *
epsimo_threads_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_THREADS_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_threads_service_get_client (EpsimoThreadsService *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREADS_SERVICE (self), NULL);

  return self->client;
}

/* A project-scoped request on /threads/{id}{suffix} (or /threads/ when
 * @thread_id is NULL). */
static EpsimoRequest *
new_request (const char *method,
             const char *project_id,
             const char *thread_id,
             const char *suffix)
{
  g_autofree char *path = NULL;
  EpsimoRequest *request;

  if (thread_id != NULL)
    {
      g_autofree char *escaped = epsimo_request_escape (thread_id);

      path = g_strconcat ("/threads/", escaped, suffix, NULL);
    }
  else
    path = g_strdup ("/threads/");

  request = epsimo_request_new (method, path);
  epsimo_request_set_auth (request, EPSIMO_AUTH_PROJECT, project_id);
  return request;
}

static EpsimoThread *
thread_from_node (JsonNode  *node,
                  GError   **error)
{
  return epsimo_json_read_object (node, (EpsimoJsonReader) epsimo_thread_new_from_json,
                                  _("The server sent a thread that could not be read"), error);
}

static EpsimoMessage *
message_from_node (JsonNode  *node,
                   GError   **error)
{
  return epsimo_json_read_object (node, (EpsimoJsonReader) epsimo_message_new_from_json,
                                  _("The server sent a message that could not be read"), error);
}

/* List */

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error) ||
      !(threads = epsimo_json_read_list (node, "threads", (EpsimoJsonReader) epsimo_thread_new_from_json,
                                     _("The server sent a thread that could not be read"), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&threads), (GDestroyNotify) g_ptr_array_unref);
}

void
epsimo_threads_service_list_async (EpsimoThreadsService *self,
                                   const char           *project_id,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_THREADS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_threads_service_list_async);

  request = new_request ("GET", project_id, NULL, NULL);
  epsimo_client_call_async (self->client, request, cancellable, list_cb, g_steal_pointer (&task));
}

GPtrArray *
epsimo_threads_service_list_finish (EpsimoThreadsService  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (EPSIMO_IS_THREADS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_threads_service_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Create and get: one thread answered */

static void
thread_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoThread *thread;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  thread = thread_from_node (node, &error);
  if (thread == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, thread, g_object_unref);
}

typedef struct
{
  char         *project_id;
  EpsimoThread *thread;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->project_id);
  g_clear_object (&data->thread);
  g_free (data);
}

static void
create_dialect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  EpsimoThreadsService *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect;

  dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source),
                                                       result, &error);
  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = epsimo_thread_to_json (data->thread, dialect);
  request = new_request ("POST", data->project_id, NULL, NULL);
  epsimo_request_set_body (request, body);
  epsimo_client_call_async (self->client, request, cancellable,
                            thread_cb, g_steal_pointer (&task));
}

void
epsimo_threads_service_create_async (EpsimoThreadsService *self,
                                     const char           *project_id,
                                     EpsimoThread         *thread,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoAuthService) auth = NULL;
  CreateData *data;

  g_return_if_fail (EPSIMO_IS_THREADS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (EPSIMO_IS_THREAD (thread));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_threads_service_create_async);

  data = g_new0 (CreateData, 1);
  data->project_id = g_strdup (project_id);
  data->thread = g_object_ref (thread);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  /* The body differs per dialect on one path: a reference form with the
   * same path would teach the client nothing, so learn the dialect first
   * (a no-op once it is known). */
  auth = epsimo_auth_service_new (self->client);
  epsimo_auth_service_ensure_dialect_async (auth, cancellable,
                                            create_dialect_cb, g_steal_pointer (&task));
}

EpsimoThread *
epsimo_threads_service_create_finish (EpsimoThreadsService  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (EPSIMO_IS_THREADS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_threads_service_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
epsimo_threads_service_get_async (EpsimoThreadsService *self,
                                  const char           *project_id,
                                  const char           *thread_id,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_THREADS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_threads_service_get_async);

  request = new_request ("GET", project_id, thread_id, NULL);
  epsimo_client_call_async (self->client, request, cancellable,
                            thread_cb, g_steal_pointer (&task));
}

EpsimoThread *
epsimo_threads_service_get_finish (EpsimoThreadsService  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  g_return_val_if_fail (EPSIMO_IS_THREADS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_threads_service_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Delete */

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, NULL, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
epsimo_threads_service_delete_async (EpsimoThreadsService *self,
                                     const char           *project_id,
                                     const char           *thread_id,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_THREADS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_threads_service_delete_async);

  request = new_request ("DELETE", project_id, thread_id, NULL);
  epsimo_client_call_async (self->client, request, cancellable,
                            delete_cb, g_steal_pointer (&task));
}

gboolean
epsimo_threads_service_delete_finish (EpsimoThreadsService  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (EPSIMO_IS_THREADS_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_threads_service_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Messages */

typedef struct
{
  GPtrArray *messages;
  gboolean   has_more;
  guint      n_older;   /* how many messages come before the page, or G_MAXUINT */
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->messages, g_ptr_array_unref);
  g_free (page);
}

/* A reference answer (a page of messages, with has_more) as a page. */
static Page *
page_from_node (JsonNode  *node,
                GError   **error)
{
  g_autoptr(GPtrArray) messages = NULL;
  Page *page;

  if (node == NULL)
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                           _("The server sent no messages"));
      return NULL;
    }
  messages = epsimo_json_read_list (node, "messages",
                                    (EpsimoJsonReader) epsimo_message_new_from_json,
                                    _("The server sent a message that could not be read"),
                                    error);
  if (messages == NULL)
    return NULL;

  page = g_new0 (Page, 1);
  page->messages = g_steal_pointer (&messages);
  page->n_older = G_MAXUINT;  /* the reference API does not tell */
  if (JSON_NODE_HOLDS_OBJECT (node))
    epsimo_json_get_bool (json_node_get_object (node), "has_more", &page->has_more);
  return page;
}

/* The live history, read as it arrives.
 *
 * A live thread state carries the whole conversation: 18 MB for 10,000 messages of a page
 * of text each. Holding that answer and its JSON tree took several times as much memory,
 * and more than the client reads in one answer. So the body is scanned as it arrives for
 * the elements of `values.messages` (or of `values`, when the values are the list
 * itself), and only the page asked for is kept, as the reference API would send it: the
 * @limit messages before the one whose id is @before (the newest ones when NULL), with
 * has_more telling whether older ones exist. Reading stops at the end of the list, or at
 * @before. Only the kept messages are parsed; the scan itself does not build anything. */

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
  GInputStream *stream;
  GCancellable *cancellable;
  guint         limit;
  char         *before;
  char         *before_quoted;  /* "ID", as it appears in the JSON of its message */

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
  gboolean      list_done;
  gboolean      in_element;
  GString      *element;

  /* The page */
  GQueue        kept;           /* of GBytes: the newest elements read, oldest first */
  gboolean      dropped;        /* older ones were let go */
  guint         n_read;         /* elements read before the cursor (all when none) */
  gboolean      found_before;

  /* A reference answer (the server turned out to speak it): read whole. */
  GByteArray   *whole;
  guint64       whole_limit;

  int           io_priority;
} StateReader;

static void
state_reader_free (StateReader *reader)
{
  g_clear_object (&reader->stream);
  g_clear_object (&reader->cancellable);
  g_free (reader->before);
  g_free (reader->before_quoted);
  g_string_free (reader->key, TRUE);
  g_string_free (reader->element, TRUE);
  g_queue_clear_full (&reader->kept, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&reader->whole, g_byte_array_unref);
  g_free (reader);
}

static gboolean
state_unreadable (GError **error)
{
  g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                       _("The server sent a thread state that could not be read"));
  return FALSE;
}

/* A message's JSON text was read whole. */
static void
state_element_done (StateReader *reader)
{
  gsize len = reader->element->len;
  GBytes *bytes;

  reader->in_element = FALSE;

  /* The id of a message sits in its JSON as a quoted string: only a message holding
   * that text can be the cursor, and only those are parsed to be sure. */
  if (reader->before_quoted != NULL
      && strstr (reader->element->str, reader->before_quoted) != NULL)
    {
      g_autoptr(JsonNode) node = epsimo_json_parse (reader->element->str, (gssize) len, NULL);
      g_autoptr(EpsimoMessage) message = node != NULL ? message_from_node (node, NULL) : NULL;

      if (message != NULL && g_strcmp0 (epsimo_message_get_id (message), reader->before) == 0)
        {
          reader->found_before = TRUE;
          reader->list_done = TRUE;
          g_string_truncate (reader->element, 0);
          return;
        }
    }

  bytes = g_bytes_new (reader->element->str, len);
  g_string_truncate (reader->element, 0);
  g_queue_push_tail (&reader->kept, bytes);
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

  reader->want = WANT_NONE;
  if (!reader->started)
    {
      reader->started = TRUE;
      return c == '{' || state_unreadable (error);
    }
  if (reader->in_element)
    return TRUE;

  if (reader->list_depth != 0 && reader->depth == reader->list_depth)
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
        reader->values_depth = reader->depth + 1;
      else if (c == '[')
        reader->list_depth = reader->depth + 1;
      else if (c != 'n')
        return state_unreadable (error);
    }
  else if (want == WANT_MESSAGES)
    {
      if (c == '[')
        reader->list_depth = reader->depth + 1;
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

/* Scans @len bytes of the state; FALSE with @error when they cannot be a thread state. */
static gboolean
state_scan (StateReader   *reader,
            const guint8  *data,
            gsize          len,
            GError       **error)
{
  gsize i = 0;

  while (i < len && !reader->list_done)
    {
      char c = (char) data[i];

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

          if (reader->in_element)
            g_string_append_len (reader->element, (const char *) data + start, i - start);
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
          if (reader->list_depth != 0 && reader->depth + 1 == reader->list_depth)
            reader->list_done = TRUE;
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
              reader->reading_key = !reader->in_element
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

      if (reader->in_element)
        g_string_append_c (reader->element, c);
    }

  return TRUE;
}

/* The kept elements, parsed: the page. */
static Page *
state_page (StateReader  *reader,
            GError      **error)
{
  Page *page = g_new0 (Page, 1);

  page->messages = g_ptr_array_new_full (g_queue_get_length (&reader->kept), g_object_unref);
  for (GList *l = reader->kept.head; l != NULL; l = l->next)
    {
      gsize size;
      const char *text = g_bytes_get_data (l->data, &size);
      g_autoptr(JsonNode) node = epsimo_json_parse (text, (gssize) size, error);
      EpsimoMessage *message = node != NULL ? message_from_node (node, error) : NULL;

      if (message == NULL)
        {
          page_free (page);
          return NULL;
        }
      g_ptr_array_add (page->messages, message);
    }

  /* A cursor that is gone (the history changed): nothing older to show. */
  if (reader->before != NULL && !reader->found_before)
    {
      g_ptr_array_set_size (page->messages, 0);
      page->n_older = 0;
    }
  else
    {
      page->has_more = reader->dropped;
      /* The whole list before the cursor was read: its length is known for free. */
      page->n_older = reader->n_read - g_queue_get_length (&reader->kept);
    }
  return page;
}

static void
state_closed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
}

/* Only the kept elements and the cursor are read here; the main thread touches nothing
 * of the reader but its stream meanwhile (closing it). */
static void
state_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  StateReader *reader = task_data;
  GError *error = NULL;
  Page *page;

  page = state_page (reader, &error);
  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) page_free);
}

static void
state_finish (GTask *task)
{
  StateReader *reader = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Page *page;

  /* What is left of the body (the rest of the state) is not wanted. */
  g_input_stream_close_async (reader->stream, G_PRIORITY_DEFAULT, NULL, state_closed, NULL);

  if (reader->whole != NULL)
    {
      g_autoptr(JsonNode) node = NULL;

      if (reader->whole->len > 0)
        node = epsimo_json_parse ((const char *) reader->whole->data, reader->whole->len,
                                  &error);
      page = error == NULL ? page_from_node (node, &error) : NULL;
    }
  else if (!reader->started || (reader->depth != 0 && !reader->list_done))
    {
      state_unreadable (&error);
      page = NULL;
    }
  else
    {
      /* Hundreds of messages to parse: not on the main thread, which may be scrolling. */
      g_task_run_in_thread (task, state_page_thread);
      g_object_unref (task);
      return;
    }

  if (page == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, page, (GDestroyNotify) page_free);
  /* The callers hand their reference over (g_steal_pointer). */
  g_object_unref (task);
}

static void
state_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StateReader *reader = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const guint8 *data;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      EpsimoThreadsService *self = g_task_get_source_object (task);
      const char *base_url = epsimo_client_get_base_url (self->client);
      g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);

      g_input_stream_close_async (reader->stream, G_PRIORITY_DEFAULT, NULL, state_closed, NULL);
      g_task_return_error (task, epsimo_client_error_from_transport (
                                   error, uri != NULL && g_uri_get_host (uri) != NULL
                                          ? g_uri_get_host (uri) : base_url));
      return;
    }

  data = g_bytes_get_data (chunk, &size);
  if (size == 0)
    {
      state_finish (g_steal_pointer (&task));
      return;
    }

  if (reader->whole != NULL)
    {
      if (reader->whole->len + size > reader->whole_limit)
        {
          g_autofree char *limit = g_format_size (reader->whole_limit);

          g_input_stream_close_async (reader->stream, G_PRIORITY_DEFAULT, NULL, state_closed,
                                      NULL);
          g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                                   _("The server’s answer is larger than %s and was not "
                                     "read."), limit);
          return;
        }
      g_byte_array_append (reader->whole, data, (guint) size);
    }
  else if (!state_scan (reader, data, size, &error))
    {
      g_input_stream_close_async (reader->stream, G_PRIORITY_DEFAULT, NULL, state_closed, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (reader->list_done)
    {
      state_finish (g_steal_pointer (&task));
      return;
    }

  g_input_stream_read_bytes_async (reader->stream, STATE_CHUNK_SIZE, reader->io_priority,
                                   reader->cancellable, state_read_cb, g_steal_pointer (&task));
}

static void
messages_opened_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StateReader *reader = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect = EPSIMO_DIALECT_UNKNOWN;

  reader->stream = epsimo_client_open_body_finish (EPSIMO_CLIENT (source), result, &dialect,
                                                   &error);
  if (reader->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A reference page is small, and paged by the server already. */
  if (dialect == EPSIMO_DIALECT_REFERENCE)
    {
      guint64 limit = 0;

      g_object_get (source, "max-response-size", &limit, NULL);
      reader->whole = g_byte_array_new ();
      reader->whole_limit = limit;
    }

  g_input_stream_read_bytes_async (reader->stream, STATE_CHUNK_SIZE, reader->io_priority,
                                   reader->cancellable, state_read_cb, g_steal_pointer (&task));
}

void
epsimo_threads_service_get_messages_async (EpsimoThreadsService *self,
                                           const char           *project_id,
                                           const char           *thread_id,
                                           guint                 limit,
                                           const char           *before,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(GString) reference_path = NULL;
  g_autofree char *escaped = NULL;
  StateReader *reader;

  g_return_if_fail (EPSIMO_IS_THREADS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_threads_service_get_messages_async);

  /* The query belongs to the reference form only, so it is written into
   * that path rather than added to both. */
  escaped = epsimo_request_escape (thread_id);
  reference_path = g_string_new ("/threads/");
  g_string_append_printf (reference_path, "%s/messages?limit=%u", escaped,
                          limit > 0 ? limit : EPSIMO_THREADS_SERVICE_DEFAULT_PAGE);
  if (before != NULL && *before != '\0')
    {
      g_autofree char *cursor = g_uri_escape_string (before, NULL, FALSE);

      g_string_append_printf (reference_path, "&before=%s", cursor);
    }

  reader = g_new0 (StateReader, 1);
  reader->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  reader->limit = limit > 0 ? limit : EPSIMO_THREADS_SERVICE_DEFAULT_PAGE;
  if (before != NULL && *before != '\0')
    {
      reader->before = g_strdup (before);
      reader->before_quoted = g_strdup_printf ("\"%s\"", before);
    }
  /* An older page is fetched while the user scrolls, and a live one reads most of the
   * state (megabytes): chunks arriving back to back at the default priority would be
   * read one after the other ahead of the frame clock (GDK_PRIORITY_REDRAW), holding a
   * frame back for the whole burst. Below it, frames come first and the reading fills
   * the time between them. */
  reader->io_priority = reader->before != NULL ? G_PRIORITY_DEFAULT_IDLE : G_PRIORITY_DEFAULT;
  reader->key = g_string_new (NULL);
  reader->element = g_string_new (NULL);
  g_queue_init (&reader->kept);
  g_task_set_task_data (task, reader, (GDestroyNotify) state_reader_free);

  request = new_request ("GET", project_id, thread_id, "/state");
  epsimo_request_set_reference (request, "GET", reference_path->str, NULL);
  epsimo_client_open_body_async (self->client, request, cancellable,
                                 messages_opened_cb, g_steal_pointer (&task));
}

GPtrArray *
epsimo_threads_service_get_messages_finish (EpsimoThreadsService  *self,
                                            GAsyncResult          *result,
                                            gboolean              *has_more,
                                            GError               **error)
{
  return epsimo_threads_service_get_messages_finish_full (self, result, has_more, NULL, error);
}

GPtrArray *
epsimo_threads_service_get_messages_finish_full (EpsimoThreadsService  *self,
                                                 GAsyncResult          *result,
                                                 gboolean              *has_more,
                                                 guint                 *n_older,
                                                 GError               **error)
{
  Page *page;
  GPtrArray *messages;

  g_return_val_if_fail (EPSIMO_IS_THREADS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_threads_service_get_messages_async, NULL);

  page = g_task_propagate_pointer (G_TASK (result), error);
  if (has_more != NULL)
    *has_more = page != NULL && page->has_more;
  if (n_older != NULL)
    *n_older = page != NULL ? page->n_older : G_MAXUINT;
  if (page == NULL)
    return NULL;

  messages = g_steal_pointer (&page->messages);
  page_free (page);
  return messages;
}

typedef struct
{
  char          *project_id;
  char          *thread_id;
  EpsimoMessage *message;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->project_id);
  g_free (data->thread_id);
  g_clear_object (&data->message);
  g_free (data);
}

static void
add_message_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoMessage *message;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  message = message_from_node (node, &error);
  if (message == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, message, g_object_unref);
}

static void
add_message_dialect_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  EpsimoThreadsService *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect;

  dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source),
                                                       result, &error);
  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* POST /threads/{id}/state writes the state values, not the
   * conversation: the live backend has no way to add a bare message. */
  if (dialect == EPSIMO_DIALECT_LIVE)
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND,
                               _("This server cannot add a message without running the "
                                 "assistant"));
      return;
    }

  body = epsimo_message_to_json (data->message, dialect);
  request = new_request ("POST", data->project_id, data->thread_id, "/messages");
  epsimo_request_set_body (request, body);
  epsimo_client_call_async (self->client, request, cancellable,
                            add_message_cb, g_steal_pointer (&task));
}

void
epsimo_threads_service_add_message_async (EpsimoThreadsService *self,
                                          const char           *project_id,
                                          const char           *thread_id,
                                          EpsimoMessage        *message,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoAuthService) auth = NULL;
  AddData *data;

  g_return_if_fail (EPSIMO_IS_THREADS_SERVICE (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');
  g_return_if_fail (thread_id != NULL && *thread_id != '\0');
  g_return_if_fail (EPSIMO_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_threads_service_add_message_async);

  data = g_new0 (AddData, 1);
  data->project_id = g_strdup (project_id);
  data->thread_id = g_strdup (thread_id);
  data->message = g_object_ref (message);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  auth = epsimo_auth_service_new (self->client);
  epsimo_auth_service_ensure_dialect_async (auth, cancellable,
                                            add_message_dialect_cb, g_steal_pointer (&task));
}

EpsimoMessage *
epsimo_threads_service_add_message_finish (EpsimoThreadsService  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  g_return_val_if_fail (EPSIMO_IS_THREADS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_threads_service_add_message_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
