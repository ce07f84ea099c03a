/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-chat-conversation"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-api-error.h"

#include "epsimo-chat-conversation.h"

/* The transcript starts with the newest messages (FIRST_PAGE) and fetches OLDER_PAGE more at
 * a time. The reference API pages the history itself; the threads service pages the live
 * one, which comes whole, as it reads it, and then also tells how many messages come before
 * the page. When it does, the transcript holds a placeholder item for each of them from
 * the start, filled in place as pages arrive: the list knows the whole thread at once,
 * nothing is ever prepended, and the scrollbar stays put. Only the reference dialect, which
 * never tells, has its older pages prepended.
 *
 * The list binds rows as empty boxes of their estimated size and builds only those near
 * the screen (EpsimoTranscriptView), so a page costs parsing its messages, not rows. Each
 * live page reads the whole state again: pages large enough to be rare. */
#define FIRST_PAGE EPSIMO_SESSION_FIRST_PAGE
#define OLDER_PAGE 300

struct _EpsimoChatConversation
{
  GObject          parent_instance;

  EpsimoSession   *session;
  char            *project_id;
  EpsimoThread    *thread;
  char            *assistant_name;
  GListStore      *items;
  guint            n_placeholders; /* the first items: messages not fetched yet */
  char            *cursor;         /* the oldest message fetched */
  gboolean         has_older;
  gboolean         loaded;
  gboolean         loading;
  gboolean         loading_older;
  gboolean         older_failed;    /* asked again only by retry_older () */
  char            *draft;
  GCancellable    *cancellable;

  /* The run */
  gboolean         busy;
  EpsimoRunStream *stream;
  gulong           event_id;
  EpsimoChatItem  *reply;
  char            *last_text;      /* what the last run sent, for Retry */
  gboolean         tool_results;   /* the run's tools may have changed the state */
  gboolean         closed;
};

G_DEFINE_FINAL_TYPE (EpsimoChatConversation, epsimo_chat_conversation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_LOADING,
  PROP_LOADING_OLDER,
  PROP_HAS_OLDER,
  PROP_RUNNING,
  PROP_BUSY,
  PROP_CAN_RETRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SENT,
  SEND_FAILED,
  REPLY_FINISHED,
  STATE_CHANGED,
  LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
notify (EpsimoChatConversation *self,
        guint                   prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
touch_thread (EpsimoChatConversation *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  epsimo_thread_set_updated_at (self->thread, now);
}

/* Turning messages into transcript items */

static char *
call_arguments (JsonObject *call)
{
  JsonNode *args = json_object_get_member (call, "args");

  if (args == NULL)
    args = json_object_get_member (call, "arguments");
  if (args == NULL && json_object_has_member (call, "function")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (call, "function")))
    args = json_object_get_member (json_object_get_object_member (call, "function"),
                                   "arguments");
  if (args == NULL || JSON_NODE_HOLDS_NULL (args))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (args) && json_node_get_value_type (args) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (args));
  return json_to_string (args, FALSE);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
add_calls (EpsimoChatItem *turn,
           JsonArray      *calls)
{
  guint n = json_array_get_length (calls);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (calls, i);
      g_autoptr(EpsimoToolCall) call = NULL;
      g_autofree char *args = NULL;
      JsonObject *object;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      name = string_member (object, "name");
      if (name == NULL && json_object_has_member (object, "function")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "function")))
        name = string_member (json_object_get_object_member (object, "function"), "name");

      args = call_arguments (object);
      call = epsimo_tool_call_new (string_member (object, "id"), name, args);
      /* A call from the history either has its result further on or never got one. */
      epsimo_tool_call_set_status (call, EPSIMO_TOOL_CALL_DONE);
      epsimo_chat_item_add_tool_call (turn, call);
    }
}

static EpsimoChatItem *
new_item (EpsimoChatConversation *self,
          EpsimoChatItemKind      kind,
          EpsimoMessage          *message)
{
  EpsimoChatItem *item = epsimo_chat_item_new (kind, message);

  if (kind == EPSIMO_CHAT_ITEM_ASSISTANT)
    epsimo_chat_item_set_author (item, self->assistant_name);
  return item;
}

/* An assistant's tool calls, the tools' results and the text that follows make one turn,
 * shown as one row: cards, then text. */
static GPtrArray *
items_from_messages (EpsimoChatConversation *self,
                     GPtrArray              *messages)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  EpsimoChatItem *turn = NULL;

  for (guint i = 0; i < messages->len; i++)
    {
      EpsimoMessage *message = g_ptr_array_index (messages, i);
      const char *text = epsimo_message_get_content (message);

      switch (epsimo_message_get_role (message))
        {
        case EPSIMO_MESSAGE_ROLE_USER:
          turn = NULL;
          g_ptr_array_add (items, new_item (self, EPSIMO_CHAT_ITEM_USER, message));
          break;

        case EPSIMO_MESSAGE_ROLE_ASSISTANT:
          {
            JsonArray *calls = epsimo_message_get_tool_calls (message);
            gboolean has_calls = calls != NULL && json_array_get_length (calls) > 0;

            if (has_calls)
              {
                if (turn == NULL || *epsimo_chat_item_get_text (turn) != '\0')
                  {
                    turn = new_item (self, EPSIMO_CHAT_ITEM_ASSISTANT, message);
                    g_ptr_array_add (items, turn);
                  }
                else if (*text != '\0')
                  epsimo_chat_item_append_text (turn, text);
                add_calls (turn, calls);
              }
            else if (*text == '\0')
              ;
            else if (turn != NULL && *epsimo_chat_item_get_text (turn) == '\0')
              epsimo_chat_item_set_text (turn, text);
            else
              {
                turn = new_item (self, EPSIMO_CHAT_ITEM_ASSISTANT, message);
                g_ptr_array_add (items, turn);
              }
          }
          break;

        case EPSIMO_MESSAGE_ROLE_TOOL:
          {
            EpsimoToolCall *call = NULL;

            if (turn != NULL)
              call = epsimo_chat_item_find_tool_call (turn,
                                                      epsimo_message_get_tool_call_id (message));
            if (call != NULL)
              epsimo_tool_call_set_result (call, text);
            else
              g_ptr_array_add (items, new_item (self, EPSIMO_CHAT_ITEM_TOOL, message));
          }
          break;

        case EPSIMO_MESSAGE_ROLE_SYSTEM:
        default:
          break;
        }
    }

  return items;
}

static gboolean
server_is_live (EpsimoChatConversation *self)
{
  EpsimoClient *client = epsimo_session_get_client (self->session);

  return epsimo_client_get_dialect (client) == EPSIMO_DIALECT_LIVE;
}

/* A page older than every item fetched: it fills the placeholders just above them (a
 * turn may gather several messages, so a page may fill fewer than it has messages), and
 * then as many placeholders are left as there are older messages (@n_older; G_MAXUINT
 * when the server does not tell, and the page is prepended). Rows of filled placeholders
 * are updated in place; the list sees no change of position. */
static void
add_older_items (EpsimoChatConversation *self,
                 GPtrArray              *items,
                 guint                   n_older)
{
  guint n_fill = MIN (items->len, self->n_placeholders);
  guint first = self->n_placeholders - n_fill;
  guint extra = items->len - n_fill;
  guint left;

  for (guint i = 0; i < n_fill; i++)
    {
      g_autoptr(EpsimoChatItem) placeholder = g_list_model_get_item (G_LIST_MODEL (self->items),
                                                                     first + i);

      epsimo_chat_item_fill (placeholder, g_ptr_array_index (items, extra + i));
    }

  /* What found no placeholder goes above, in one splice. */
  if (extra > 0)
    g_list_store_splice (self->items, first, 0, items->pdata, extra);

  left = n_older != G_MAXUINT ? n_older : 0;
  if (left < first)
    g_list_store_splice (self->items, 0, first - left, NULL, 0);
  else if (left > first)
    {
      g_autoptr(GPtrArray) placeholders = g_ptr_array_new_full (left - first, g_object_unref);

      for (guint i = first; i < left; i++)
        g_ptr_array_add (placeholders, epsimo_chat_item_new_placeholder ());
      g_list_store_splice (self->items, 0, 0, placeholders->pdata, placeholders->len);
    }
  self->n_placeholders = left;
}

/* Loading */

static void
set_has_older (EpsimoChatConversation *self,
               gboolean                has_older)
{
  if (self->has_older == has_older)
    return;

  self->has_older = has_older;
  notify (self, PROP_HAS_OLDER);
}

static void
set_cursor (EpsimoChatConversation *self,
            GPtrArray              *messages,
            gboolean                has_more)
{
  const char *oldest = messages->len > 0
                       ? epsimo_message_get_id (g_ptr_array_index (messages, 0)) : NULL;

  g_free (self->cursor);
  self->cursor = g_strdup (oldest);
  /* Without an id there is no way to ask for what came before. */
  set_has_older (self, has_more && oldest != NULL);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(EpsimoChatConversation) self = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  guint n_older = G_MAXUINT;

  messages = epsimo_session_get_messages_finish (EPSIMO_SESSION (source), result, &has_more,
                                                 &n_older, &error);
  if (is_cancelled (error) || self->closed)
    return;

  self->loading = FALSE;
  if (messages == NULL)
    {
      notify (self, PROP_LOADING);
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  items = items_from_messages (self, messages);
  set_cursor (self, messages, has_more);
  /* Placeholders only stand for what can be fetched: without a cursor, nothing can. */
  add_older_items (self, items, self->has_older ? n_older : 0);
  self->loaded = TRUE;
  notify (self, PROP_LOADING);
  notify (self, PROP_LOADED);
}

void
epsimo_chat_conversation_load (EpsimoChatConversation *self)
{
  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  if (self->loading || self->loaded || self->closed)
    return;

  self->loading = TRUE;
  notify (self, PROP_LOADING);
  /* Through the session: a start reopening this thread has asked for this page already. */
  epsimo_session_get_messages_async (self->session, self->project_id,
                                     epsimo_thread_get_id (self->thread), FIRST_PAGE, NULL,
                                     self->cancellable, load_cb, g_object_ref (self));
}

static void
load_older_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EpsimoChatConversation) self = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  guint n_older = G_MAXUINT;

  messages = epsimo_threads_service_get_messages_finish_full (EPSIMO_THREADS_SERVICE (source),
                                                              result, &has_more, &n_older,
                                                              &error);
  if (is_cancelled (error) || self->closed)
    return;

  self->loading_older = FALSE;
  notify (self, PROP_LOADING_OLDER);
  if (messages == NULL)
    {
      /* The transcript asks for older messages whenever some not fetched are near the
       * screen: without this, a failing server would be asked on every frame. */
      self->older_failed = TRUE;
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  items = items_from_messages (self, messages);
  set_cursor (self, messages, has_more);
  add_older_items (self, items, self->has_older ? n_older : 0);
}

void
epsimo_chat_conversation_load_older (EpsimoChatConversation *self)
{
  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  if (!self->loaded || self->loading_older || self->older_failed || !self->has_older
      || self->closed || self->cursor == NULL)
    return;

  self->loading_older = TRUE;
  notify (self, PROP_LOADING_OLDER);
  epsimo_threads_service_get_messages_async (epsimo_session_get_threads (self->session),
                                             self->project_id,
                                             epsimo_thread_get_id (self->thread),
                                             OLDER_PAGE, self->cursor, self->cancellable,
                                             load_older_cb, g_object_ref (self));
}

void
epsimo_chat_conversation_retry_older (EpsimoChatConversation *self)
{
  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  self->older_failed = FALSE;
  epsimo_chat_conversation_load_older (self);
}

/* The run */

static EpsimoChatItem *
last_item (EpsimoChatConversation *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  g_autoptr(EpsimoChatItem) item = NULL;

  if (n == 0)
    return NULL;

  /* The store keeps its own reference: a borrowed pointer is enough. */
  item = g_list_model_get_item (G_LIST_MODEL (self->items), n - 1);
  return item;
}

static void
remove_item (EpsimoChatConversation *self,
             EpsimoChatItem         *item)
{
  guint position;

  if (g_list_store_find (self->items, item, &position))
    g_list_store_remove (self->items, position);
}

static void
set_busy (EpsimoChatConversation *self,
          gboolean                busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  notify (self, PROP_BUSY);
  notify (self, PROP_CAN_RETRY);
}

static void
finish_run (EpsimoChatConversation *self,
            EpsimoChatItemState     state,
            const char             *error_message)
{
  g_autoptr(EpsimoChatItem) item = g_steal_pointer (&self->reply);
  GListModel *calls;
  guint n_calls;

  if (self->stream != NULL)
    {
      g_clear_signal_handler (&self->event_id, self->stream);
      g_clear_object (&self->stream);
    }
  if (item == NULL)
    return;

  calls = epsimo_chat_item_get_tool_calls (item);
  n_calls = g_list_model_get_n_items (calls);
  for (guint i = 0; i < n_calls; i++)
    {
      g_autoptr(EpsimoToolCall) call = g_list_model_get_item (calls, i);

      if (epsimo_tool_call_get_status (call) == EPSIMO_TOOL_CALL_RUNNING)
        epsimo_tool_call_set_status (call, state == EPSIMO_CHAT_ITEM_COMPLETE
                                           ? EPSIMO_TOOL_CALL_DONE : EPSIMO_TOOL_CALL_FAILED);
    }

  epsimo_chat_item_set_error_message (item, error_message);
  epsimo_chat_item_set_state (item, state);
  epsimo_chat_item_set_retryable (item, state != EPSIMO_CHAT_ITEM_COMPLETE);
  touch_thread (self);

  notify (self, PROP_RUNNING);
  notify (self, PROP_CAN_RETRY);

  /* The reference stream carries no state: whoever shows it must fetch it again. */
  if (self->tool_results && !server_is_live (self))
    g_signal_emit (self, signals[STATE_CHANGED], 0, NULL);
  self->tool_results = FALSE;

  if (state != EPSIMO_CHAT_ITEM_STOPPED)
    g_signal_emit (self, signals[REPLY_FINISHED], 0, item,
                   state == EPSIMO_CHAT_ITEM_COMPLETE);
}

static EpsimoToolCall *
find_call (EpsimoChatItem *item,
           const char     *id,
           const char     *name)
{
  EpsimoToolCall *call = epsimo_chat_item_find_tool_call (item, id);
  GListModel *calls;

  if (call != NULL)
    return call;

  /* Without an id, the latest call of that tool still waiting for its result. */
  calls = epsimo_chat_item_get_tool_calls (item);
  for (guint i = g_list_model_get_n_items (calls); id == NULL && i > 0; i--)
    {
      g_autoptr(EpsimoToolCall) candidate = g_list_model_get_item (calls, i - 1);

      if (epsimo_tool_call_get_status (candidate) == EPSIMO_TOOL_CALL_RUNNING
          && g_strcmp0 (epsimo_tool_call_get_name (candidate), name) == 0)
        return candidate;
    }
  return NULL;
}

static JsonObject *
state_without_messages (JsonObject *values)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &name, &node))
    if (g_strcmp0 (name, "messages") != 0)
      json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

static void
on_run_event (EpsimoRunStream        *stream,
              EpsimoRunEvent         *event,
              EpsimoChatConversation *self)
{
  EpsimoChatItem *reply = self->reply;

  if (reply == NULL)
    return;

  switch (event->kind)
    {
    case EPSIMO_RUN_EVENT_TEXT_DELTA:
      epsimo_chat_item_append_text (reply, event->text);
      break;

    case EPSIMO_RUN_EVENT_TOOL_CALL:
      {
        EpsimoToolCall *call = epsimo_chat_item_find_tool_call (reply, event->tool_call_id);

        if (call != NULL)
          epsimo_tool_call_set_arguments (call, event->arguments);
        else
          {
            g_autoptr(EpsimoToolCall) fresh = epsimo_tool_call_new (event->tool_call_id,
                                                                   event->tool_name,
                                                                   event->arguments);

            epsimo_chat_item_add_tool_call (reply, fresh);
          }
      }
      break;

    case EPSIMO_RUN_EVENT_TOOL_RESULT:
      {
        EpsimoToolCall *call = find_call (reply, event->tool_call_id, event->tool_name);

        if (call == NULL)
          {
            g_autoptr(EpsimoToolCall) fresh = epsimo_tool_call_new (event->tool_call_id,
                                                                   event->tool_name, NULL);

            epsimo_chat_item_add_tool_call (reply, fresh);
            call = fresh;
          }
        epsimo_tool_call_set_result (call, event->content != NULL ? event->content : "");
        epsimo_tool_call_set_status (call, EPSIMO_TOOL_CALL_DONE);
        self->tool_results = TRUE;
      }
      break;

    case EPSIMO_RUN_EVENT_STATE:
      if (event->values != NULL)
        {
          g_autoptr(JsonObject) values = state_without_messages (event->values);

          g_signal_emit (self, signals[STATE_CHANGED], 0, values);
        }
      break;

    case EPSIMO_RUN_EVENT_ERROR:
      finish_run (self, EPSIMO_CHAT_ITEM_INCOMPLETE, event->error_message);
      break;

    case EPSIMO_RUN_EVENT_DONE:
      finish_run (self, EPSIMO_CHAT_ITEM_COMPLETE, NULL);
      break;

    case EPSIMO_RUN_EVENT_STARTED:
    default:
      break;
    }
}

typedef struct
{
  EpsimoChatConversation *self;
  EpsimoChatItem         *user;    /* the new user message, or NULL for a retry */
  EpsimoChatItem         *retry;   /* the reply being retried, or NULL */
  char                   *text;
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->user);
  g_clear_object (&data->retry);
  g_free (data->text);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StartData, start_data_free)

static void
start_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(StartData) data = user_data;
  EpsimoChatConversation *self = data->self;
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = epsimo_runs_service_start_finish (EPSIMO_RUNS_SERVICE (source), result, &error);
  if (is_cancelled (error) || self->closed)
    return;

  if (stream == NULL)
    {
      if (data->user != NULL)
        remove_item (self, data->user);
      set_busy (self, FALSE);
      g_signal_emit (self, signals[SEND_FAILED], 0, data->retry != NULL ? NULL : data->text,
                     error);
      return;
    }

  g_free (self->last_text);
  self->last_text = g_strdup (data->text);

  if (data->user != NULL)
    epsimo_chat_item_set_state (data->user, EPSIMO_CHAT_ITEM_COMPLETE);

  if (data->retry != NULL)
    {
      self->reply = g_object_ref (data->retry);
      epsimo_chat_item_set_text (self->reply, "");
      epsimo_chat_item_clear_tool_calls (self->reply);
      epsimo_chat_item_set_error_message (self->reply, NULL);
      epsimo_chat_item_set_retryable (self->reply, FALSE);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      self->reply = new_item (self, EPSIMO_CHAT_ITEM_ASSISTANT, NULL);
      epsimo_message_set_timestamp (epsimo_chat_item_get_message (self->reply), now);
      g_list_store_append (self->items, self->reply);
    }
  epsimo_chat_item_set_live (self->reply, TRUE);
  epsimo_chat_item_set_state (self->reply, EPSIMO_CHAT_ITEM_STREAMING);

  self->stream = g_steal_pointer (&stream);
  self->event_id = g_signal_connect (self->stream, "event", G_CALLBACK (on_run_event), self);
  touch_thread (self);

  set_busy (self, FALSE);
  notify (self, PROP_RUNNING);
  g_signal_emit (self, signals[SENT], 0, data->text);
}

static void
start_run (EpsimoChatConversation *self,
           const char             *text,
           EpsimoChatItem         *user,
           EpsimoChatItem         *retry)
{
  StartData *data = g_new0 (StartData, 1);

  data->self = g_object_ref (self);
  data->user = user != NULL ? g_object_ref (user) : NULL;
  data->retry = retry != NULL ? g_object_ref (retry) : NULL;
  data->text = g_strdup (text);

  set_busy (self, TRUE);
  epsimo_runs_service_start_async (epsimo_session_get_runs (self->session),
                                   self->project_id,
                                   epsimo_thread_get_id (self->thread),
                                   epsimo_thread_get_assistant_id (self->thread),
                                   text, self->cancellable, start_cb, data);
}

static void
clear_retryable (EpsimoChatConversation *self)
{
  EpsimoChatItem *last = last_item (self);

  if (last != NULL)
    epsimo_chat_item_set_retryable (last, FALSE);
}

void
epsimo_chat_conversation_send (EpsimoChatConversation *self,
                               const char             *text)
{
  g_autoptr(EpsimoChatItem) user = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));
  g_return_if_fail (text != NULL);

  if (self->busy || self->stream != NULL || self->closed)
    return;

  clear_retryable (self);
  notify (self, PROP_CAN_RETRY);

  user = new_item (self, EPSIMO_CHAT_ITEM_USER, NULL);
  epsimo_chat_item_set_text (user, text);
  epsimo_message_set_timestamp (epsimo_chat_item_get_message (user), now);
  epsimo_chat_item_set_state (user, EPSIMO_CHAT_ITEM_SENDING);
  epsimo_chat_item_set_live (user, TRUE);
  g_list_store_append (self->items, user);

  start_run (self, text, user, NULL);
}

void
epsimo_chat_conversation_stop (EpsimoChatConversation *self)
{
  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  if (self->stream == NULL)
    return;

  /* The stream emits nothing more; the server is asked to cancel, without waiting. */
  epsimo_runs_service_stop (epsimo_session_get_runs (self->session), self->stream);
  finish_run (self, EPSIMO_CHAT_ITEM_STOPPED, NULL);
}

gboolean
epsimo_chat_conversation_get_can_retry (EpsimoChatConversation *self)
{
  EpsimoChatItem *last;

  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), FALSE);

  last = last_item (self);
  return !self->busy && self->stream == NULL && last != NULL
         && epsimo_chat_item_get_retryable (last);
}

/* The text of the user message the last reply answers. */
static const char *
text_to_retry (EpsimoChatConversation *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  if (self->last_text != NULL)
    return self->last_text;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(EpsimoChatItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i - 1);

      if (epsimo_chat_item_get_kind (item) == EPSIMO_CHAT_ITEM_USER
          && !epsimo_chat_item_get_placeholder (item))
        return epsimo_chat_item_get_text (item);
    }
  return NULL;
}

void
epsimo_chat_conversation_retry (EpsimoChatConversation *self)
{
  EpsimoChatItem *last;
  const char *text;

  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  if (!epsimo_chat_conversation_get_can_retry (self))
    return;

  last = last_item (self);
  text = text_to_retry (self);
  if (text == NULL)
    return;

  /* Until the new run starts the old reply stays, marked as it was. */
  start_run (self, text, NULL, last);
}

/* Notes */

typedef struct
{
  EpsimoChatConversation *self;
  EpsimoChatItem         *item;
} NoteData;

static void
note_data_free (NoteData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->item);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NoteData, note_data_free)

static void
add_note_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(NoteData) data = user_data;
  EpsimoChatConversation *self = data->self;
  g_autoptr(EpsimoMessage) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (epsimo_chat_item_get_text (data->item));

  stored = epsimo_threads_service_add_message_finish (EPSIMO_THREADS_SERVICE (source),
                                                      result, &error);
  if (is_cancelled (error) || self->closed)
    return;

  set_busy (self, FALSE);
  if (stored == NULL)
    {
      remove_item (self, data->item);
      g_signal_emit (self, signals[SEND_FAILED], 0, text, error);
      return;
    }

  epsimo_message_set_id (epsimo_chat_item_get_message (data->item),
                         epsimo_message_get_id (stored));
  if (epsimo_message_get_timestamp (stored) != NULL)
    epsimo_message_set_timestamp (epsimo_chat_item_get_message (data->item),
                                  epsimo_message_get_timestamp (stored));
  epsimo_chat_item_set_state (data->item, EPSIMO_CHAT_ITEM_COMPLETE);
  touch_thread (self);
  g_signal_emit (self, signals[SENT], 0, text);
}

void
epsimo_chat_conversation_add_note (EpsimoChatConversation *self,
                                   const char             *text)
{
  g_autoptr(EpsimoMessage) message = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  NoteData *data;

  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));
  g_return_if_fail (text != NULL);

  if (self->busy || self->stream != NULL || self->closed)
    return;

  clear_retryable (self);
  message = epsimo_message_new (EPSIMO_MESSAGE_ROLE_USER, text);
  epsimo_message_set_timestamp (message, now);

  data = g_new0 (NoteData, 1);
  data->self = g_object_ref (self);
  data->item = new_item (self, EPSIMO_CHAT_ITEM_NOTE, message);
  epsimo_chat_item_set_state (data->item, EPSIMO_CHAT_ITEM_SENDING);
  g_list_store_append (self->items, data->item);

  set_busy (self, TRUE);
  epsimo_threads_service_add_message_async (epsimo_session_get_threads (self->session),
                                            self->project_id,
                                            epsimo_thread_get_id (self->thread),
                                            message, self->cancellable, add_note_cb, data);
}

/* GObject */

static void
epsimo_chat_conversation_dispose (GObject *object)
{
  EpsimoChatConversation *self = (EpsimoChatConversation *)object;

  epsimo_chat_conversation_close (self);
  g_clear_object (&self->session);
  g_clear_object (&self->thread);
  g_clear_object (&self->items);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reply);

  G_OBJECT_CLASS (epsimo_chat_conversation_parent_class)->dispose (object);
}

static void
epsimo_chat_conversation_finalize (GObject *object)
{
  EpsimoChatConversation *self = (EpsimoChatConversation *)object;

  g_free (self->project_id);
  g_free (self->assistant_name);
  g_free (self->cursor);
  g_free (self->draft);
  g_free (self->last_text);

  G_OBJECT_CLASS (epsimo_chat_conversation_parent_class)->finalize (object);
}

static void
epsimo_chat_conversation_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  EpsimoChatConversation *self = EPSIMO_CHAT_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_LOADING_OLDER:
      g_value_set_boolean (value, self->loading_older);
      break;

    case PROP_HAS_OLDER:
      g_value_set_boolean (value, self->has_older);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->stream != NULL);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_CAN_RETRY:
      g_value_set_boolean (value, epsimo_chat_conversation_get_can_retry (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_chat_conversation_class_init (EpsimoChatConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_chat_conversation_dispose;
  object_class->finalize = epsimo_chat_conversation_finalize;
  object_class->get_property = epsimo_chat_conversation_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_LOADING_OLDER] = g_param_spec_boolean ("loading-older", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_OLDER] = g_param_spec_boolean ("has-older", NULL, NULL, FALSE, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_RETRY] = g_param_spec_boolean ("can-retry", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SEND_FAILED] =
    g_signal_new ("send-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  signals[REPLY_FINISHED] =
    g_signal_new ("reply-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, EPSIMO_TYPE_CHAT_ITEM, G_TYPE_BOOLEAN);
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
epsimo_chat_conversation_init (EpsimoChatConversation *self)
{
  self->items = g_list_store_new (EPSIMO_TYPE_CHAT_ITEM);
  self->cancellable = g_cancellable_new ();
}

EpsimoChatConversation *
epsimo_chat_conversation_new (EpsimoSession *session,
                              const char    *project_id,
                              EpsimoThread  *thread,
                              const char    *assistant_name,
                              gboolean       is_new)
{
  EpsimoChatConversation *self;

  g_return_val_if_fail (EPSIMO_IS_SESSION (session), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);
  g_return_val_if_fail (EPSIMO_IS_THREAD (thread), NULL);

  self = g_object_new (EPSIMO_TYPE_CHAT_CONVERSATION, NULL);
  self->session = g_object_ref (session);
  self->project_id = g_strdup (project_id);
  self->thread = g_object_ref (thread);
  self->assistant_name = g_strdup (assistant_name);
  /* A thread just made has no history to fetch. */
  self->loaded = is_new;
  return self;
}

EpsimoThread *
epsimo_chat_conversation_get_thread (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), NULL);

  return self->thread;
}

void
epsimo_chat_conversation_set_assistant_name (EpsimoChatConversation *self,
                                             const char             *name)
{
  guint n;

  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  if (g_strcmp0 (self->assistant_name, name) == 0)
    return;

  g_free (self->assistant_name);
  self->assistant_name = g_strdup (name);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoChatItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (epsimo_chat_item_get_kind (item) == EPSIMO_CHAT_ITEM_ASSISTANT)
        epsimo_chat_item_set_author (item, name);
    }
}

GListModel *
epsimo_chat_conversation_get_items (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), NULL);

  return G_LIST_MODEL (self->items);
}

gboolean
epsimo_chat_conversation_get_loaded (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), FALSE);

  return self->loaded;
}

gboolean
epsimo_chat_conversation_get_loading (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), FALSE);

  return self->loading;
}

gboolean
epsimo_chat_conversation_get_loading_older (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), FALSE);

  return self->loading_older;
}

gboolean
epsimo_chat_conversation_get_has_older (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), FALSE);

  return self->has_older;
}

gboolean
epsimo_chat_conversation_get_running (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), FALSE);

  return self->stream != NULL;
}

gboolean
epsimo_chat_conversation_get_busy (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), FALSE);

  return self->busy;
}

const char *
epsimo_chat_conversation_get_draft (EpsimoChatConversation *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), NULL);

  return self->draft;
}

void
epsimo_chat_conversation_set_draft (EpsimoChatConversation *self,
                                    const char             *draft)
{
  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  g_free (self->draft);
  self->draft = draft != NULL && *draft != '\0' ? g_strdup (draft) : NULL;
}

EpsimoChatItem *
epsimo_chat_conversation_get_last_reply (EpsimoChatConversation *self)
{
  guint n;

  g_return_val_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(EpsimoChatItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i - 1);

      if (epsimo_chat_item_get_kind (item) == EPSIMO_CHAT_ITEM_ASSISTANT)
        return item;
    }
  return NULL;
}

void
epsimo_chat_conversation_close (EpsimoChatConversation *self)
{
  g_return_if_fail (EPSIMO_IS_CHAT_CONVERSATION (self));

  if (self->closed)
    return;

  self->closed = TRUE;
  if (self->stream != NULL)
    {
      g_clear_signal_handler (&self->event_id, self->stream);
      g_clear_object (&self->stream);
    }
  /* Cancelling also stops reading a reply still streaming (the runs service ties the
   * stream to this cancellable). */
  g_cancellable_cancel (self->cancellable);
}
