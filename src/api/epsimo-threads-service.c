/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-threads-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-client-private.h"
#include "epsimo-json.h"
#include "epsimo-state-reader.h"
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

/* The live history: the page the state reader kept, parsed (hundreds of messages: in a
 * worker thread, not on the main thread, which may be scrolling). */
static Page *
page_from_state (EpsimoStateRead  *read,
                 const char       *before,
                 GError          **error)
{
  Page *page = g_new0 (Page, 1);

  page->messages = g_ptr_array_new_full (read->messages->len, g_object_unref);
  for (guint i = 0; i < read->messages->len; i++)
    {
      gsize size;
      const char *text = g_bytes_get_data (g_ptr_array_index (read->messages, i), &size);
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
  if (before != NULL && !read->found_before)
    {
      g_ptr_array_set_size (page->messages, 0);
      page->n_older = 0;
    }
  else
    {
      page->has_more = read->dropped;
      /* The whole list before the cursor was read: its length is known for free. */
      page->n_older = read->n_read - read->messages->len;
    }
  return page;
}

typedef struct
{
  EpsimoStateRead *read;
  char            *before;
} PageData;

static void
page_data_free (PageData *data)
{
  epsimo_state_read_free (data->read);
  g_free (data->before);
  g_free (data);
}

static void
page_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PageData *data = task_data;
  GError *error = NULL;
  Page *page = page_from_state (data->read, data->before, &error);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) page_free);
}

static void
messages_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PageData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Page *page;

  data->read = epsimo_state_reader_read_finish (result, &error);
  if (data->read == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->read->dialect != EPSIMO_DIALECT_REFERENCE)
    {
      g_task_run_in_thread (task, page_thread);
      return;
    }

  page = page_from_node (data->read->reference, &error);
  if (page == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, page, (GDestroyNotify) page_free);
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
  PageData *data;

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

  data = g_new0 (PageData, 1);
  data->before = before != NULL && *before != '\0' ? g_strdup (before) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) page_data_free);

  request = new_request ("GET", project_id, thread_id, "/state");
  epsimo_request_set_reference (request, "GET", reference_path->str, NULL);
  /* An older page is fetched while the user scrolls, and a live one reads most of the
   * state (megabytes): chunks arriving back to back at the default priority would be
   * read one after the other ahead of the frame clock (GDK_PRIORITY_REDRAW), holding a
   * frame back for the whole burst. Below it, frames come first and the reading fills
   * the time between them. */
  epsimo_state_reader_read_async (self->client, request, EPSIMO_STATE_READ_MESSAGES,
                                  limit > 0 ? limit : EPSIMO_THREADS_SERVICE_DEFAULT_PAGE,
                                  data->before,
                                  data->before != NULL ? G_PRIORITY_DEFAULT_IDLE
                                                       : G_PRIORITY_DEFAULT,
                                  cancellable, messages_read_cb, g_steal_pointer (&task));
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
