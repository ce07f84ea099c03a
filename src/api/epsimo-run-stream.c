/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-run-stream"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"
#include "epsimo-run-stream.h"
#include "epsimo-sse-parser.h"

/* Reads this big: a fast stream of large events is 25 GB of cumulative text for a 1 MB
 * reply, and every read is a main-loop iteration. */
#define READ_CHUNK_SIZE (64 * 1024)

/* A live message whose content is longer than this takes the fast path: see
 * handle_big_content(). */
#define BIG_CONTENT (8 * 1024)

/* A tool call of the live dialect, assembled from the pieces of its
 * arguments until they are complete. */
typedef struct
{
  char    *id;
  char    *name;
  char    *message_id;
  GString *arguments;
  guint    complete : 1;
  guint    emitted : 1;
} ToolCall;

struct _EpsimoRunStream
{
  GObject          parent_instance;

  EpsimoDialect    dialect;
  guint            idle_timeout;

  EpsimoSseParser *parser;

  /* Live dialect. The text shown so far of each message (by id): one copy
   * per message, grown in place, needed to find the new suffix of the next
   * cumulative content. */
  GHashTable      *shown;
  /* The same content as it came in the JSON (escaped), for the messages that took the
   * fast path: what is new is then found without decoding what was already shown. */
  GHashTable      *shown_raw;
  GPtrArray       *calls;           /* ToolCall*, owned, in order of first sight */
  GHashTable      *calls_by_id;     /* id -> ToolCall* */
  GHashTable      *calls_by_index;  /* "message id\x1Findex" -> ToolCall* */
  GHashTable      *results_seen;    /* tool message id or tool_call_id */

  GError          *error;           /* of the ERROR event */
  GCancellable    *cancellable;     /* the caller's, while read_async() runs */

  guint            started : 1;
  guint            finished : 1;    /* DONE or ERROR was emitted */
  guint            cancelled : 1;
  guint            reading : 1;
};

G_DEFINE_FINAL_TYPE (EpsimoRunStream, epsimo_run_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIALECT,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

enum {
  EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
tool_call_free (ToolCall *call)
{
  g_free (call->id);
  g_free (call->name);
  g_free (call->message_id);
  g_string_free (call->arguments, TRUE);
  g_free (call);
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

/* Events */

static gboolean
is_stopped (EpsimoRunStream *self)
{
  return self->finished
         || self->cancelled
         || (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable));
}

static void
emit_event (EpsimoRunStream *self,
            EpsimoRunEvent  *event)
{
  /* @event is ours: emitted unless the stream has stopped, released either way. */
  if (!is_stopped (self))
    {
      if (event->kind == EPSIMO_RUN_EVENT_DONE || event->kind == EPSIMO_RUN_EVENT_ERROR)
        self->finished = TRUE;

      g_signal_emit (self, signals[EVENT], 0, event);
    }
  epsimo_run_event_unref (event);
}

static void
emit_error (EpsimoRunStream *self,
            const GError    *error)
{
  EpsimoRunEvent *event;

  if (is_stopped (self))
    return;

  g_clear_error (&self->error);
  self->error = g_error_copy (error);

  event = epsimo_run_event_new (EPSIMO_RUN_EVENT_ERROR);
  event->error_message = g_strdup (error->message);
  event->error = g_error_copy (error);
  emit_event (self, event);
}

static void
emit_protocol_error (EpsimoRunStream *self,
                     const char      *detail)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The server sent a reply that could not be read"));
  epsimo_api_error_set_details (error, 0, detail, NULL);
  emit_error (self, error);
}

static void
emit_tool_call (EpsimoRunStream *self,
                ToolCall        *call)
{
  EpsimoRunEvent *event;

  call->emitted = TRUE;

  event = epsimo_run_event_new (EPSIMO_RUN_EVENT_TOOL_CALL);
  event->tool_call_id = g_strdup (call->id);
  event->tool_name = g_strdup (call->name);
  /* Arguments that never came mean a call without any. */
  event->arguments = g_strdup (call->arguments->len > 0 ? call->arguments->str : "{}");
  if (call->message_id[0] != '\0')
    event->message_id = g_strdup (call->message_id);
  emit_event (self, event);
}

static void
emit_done (EpsimoRunStream *self)
{
  if (is_stopped (self))
    return;

  /* A call whose arguments never parsed is still shown, as far as it came. */
  for (guint i = 0; i < self->calls->len && !is_stopped (self); i++)
    {
      ToolCall *call = g_ptr_array_index (self->calls, i);

      if (!call->emitted)
        emit_tool_call (self, call);
    }

  emit_event (self, epsimo_run_event_new (EPSIMO_RUN_EVENT_DONE));
}

/* JSON helpers: every member is checked; a wrong type counts as absent. */

static gboolean
node_holds (JsonNode *node,
            GType     value_type)
{
  return node != NULL
         && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == value_type;
}

static const char *
optional_string (JsonObject *object,
                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node_holds (node, G_TYPE_STRING))
    return json_node_get_string (node);

  return NULL;
}

static gboolean
optional_int (JsonObject *object,
              const char *name,
              gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node_holds (node, G_TYPE_INT64))
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  return FALSE;
}

static JsonArray *
optional_array (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);

  return NULL;
}

/* Returns the text of a message content: a string, or the text parts of an
 * array of parts joined; NULL for anything else. */
static char *
content_to_text (JsonNode *node)
{
  GString *text;
  JsonArray *parts;

  if (node == NULL)
    return NULL;

  if (node_holds (node, G_TYPE_STRING))
    return g_strdup (json_node_get_string (node));

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  parts = json_node_get_array (node);
  text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *part = json_array_get_element (parts, i);

      if (node_holds (part, G_TYPE_STRING))
        {
          g_string_append (text, json_node_get_string (part));
        }
      else if (JSON_NODE_HOLDS_OBJECT (part))
        {
          JsonObject *object = json_node_get_object (part);
          const char *type = optional_string (object, "type");
          const char *part_text = optional_string (object, "text");

          if (g_strcmp0 (type, "text") == 0 && part_text != NULL)
            g_string_append (text, part_text);
        }
    }

  return g_string_free (text, FALSE);
}

/* A tool result as text: its text when it has one, else its JSON. */
static char *
result_to_text (JsonNode *node)
{
  char *text = content_to_text (node);

  if (text == NULL && node != NULL && !JSON_NODE_HOLDS_NULL (node))
    text = json_to_string (node, FALSE);

  return text;
}

/* Parses the data of an event into @parser. FALSE (after an ERROR event)
 * when it is not JSON; TRUE with a NULL root for empty data. */
static gboolean
parse_data (EpsimoRunStream  *self,
            JsonParser       *parser,
            const char       *data,
            JsonNode        **root)
{
  g_autoptr(GError) error = NULL;

  if (!epsimo_json_parser_load (parser, data, -1, &error))
    {
      emit_protocol_error (self, error->message);
      return FALSE;
    }

  *root = json_parser_get_root (parser);
  return TRUE;
}

/* "[DONE]", give or take white space; checked without copying the data,
 * which may be a long cumulative message. */
static gboolean
is_done_marker (const char *data)
{
  while (g_ascii_isspace (*data))
    data++;

  if (strncmp (data, "[DONE]", 6) != 0)
    return FALSE;

  for (data += 6; g_ascii_isspace (*data); data++)
    ;

  return *data == '\0';
}

static gboolean
is_error_object (JsonObject *object)
{
  gint64 status;

  return (optional_int (object, "status_code", &status) && status >= 400)
         || g_strcmp0 (optional_string (object, "type"), "processing_error") == 0;
}

static EpsimoApiError
error_code_for_status (gint64 status)
{
  switch (status)
    {
    case 400:
    case 422:
      return EPSIMO_API_ERROR_VALIDATION;
    case 401:
      return EPSIMO_API_ERROR_UNAUTHORIZED;
    case 403:
      return EPSIMO_API_ERROR_FORBIDDEN;
    case 404:
      return EPSIMO_API_ERROR_NOT_FOUND;
    case 409:
      return EPSIMO_API_ERROR_CONFLICT;
    case 429:
      return EPSIMO_API_ERROR_RATE_LIMITED;
    default:
      return EPSIMO_API_ERROR_SERVER;
    }
}

/* An error the server reported inside the stream; @object may be NULL. */
static void
emit_server_error (EpsimoRunStream *self,
                   JsonObject      *object,
                   const char      *fallback_detail)
{
  g_autoptr(GError) error = NULL;
  const char *message = NULL;
  const char *detail = NULL;
  gint64 status = 0;

  if (object != NULL)
    {
      message = optional_string (object, "message");
      detail = optional_string (object, "detail");
      if (message == NULL && detail == NULL)
        message = optional_string (object, "error");
      if (!optional_int (object, "status_code", &status) || status < 0 || status > 999)
        status = 0;
    }

  if (detail == NULL)
    detail = message != NULL ? message : fallback_detail;
  if (message == NULL)
    message = detail;

  if (message != NULL && message[0] != '\0')
    error = g_error_new_literal (EPSIMO_API_ERROR, error_code_for_status (status), message);
  else
    error = g_error_new_literal (EPSIMO_API_ERROR, error_code_for_status (status),
                                 _("The assistant could not finish its reply"));
  epsimo_api_error_set_details (error, status, detail, NULL);
  emit_error (self, error);
}

/* Cumulative text: returns what @text adds to @shown (and appends it
 * there), or NULL when it adds nothing.
 *
 * A value that starts with what was shown is cumulative: only its suffix is
 * new. A value that is a prefix of what was shown brings nothing new (a
 * repeat, or a final message equal to the chunks). Any other value cannot
 * be shown correctly as a cumulative one: the text already on screen would
 * have to be taken back, which a stream of deltas cannot do, and a server
 * that sends real deltas (LangGraph's "messages" mode) produces exactly such
 * values. So it is taken as a delta and appended whole. */
static const char *
take_new_text (GString    *shown,
               const char *text)
{
  gsize len = strlen (text);
  gsize shown_len = shown->len;

  if (len >= shown_len && memcmp (text, shown->str, shown_len) == 0)
    {
      if (len == shown_len)
        return NULL;

      g_string_append_len (shown, text + shown_len, len - shown_len);
      return text + shown_len;
    }

  if (len < shown_len && memcmp (shown->str, text, len) == 0)
    return NULL;

  g_string_append_len (shown, text, len);
  return text;
}

/* Arguments are complete when they are a JSON object. Only text ending in
 * "}" is tried, so long arguments are not parsed again for every piece. */
static gboolean
arguments_complete (GString *arguments)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  gsize len = arguments->len;

  while (len > 0 && g_ascii_isspace (arguments->str[len - 1]))
    len--;
  if (len == 0 || arguments->str[len - 1] != '}')
    return FALSE;

  parser = json_parser_new ();
  if (!epsimo_json_parser_load (parser, arguments->str, (gssize) arguments->len, NULL))
    return FALSE;

  root = json_parser_get_root (parser);

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root);
}

/* Live dialect */

static ToolCall *
find_or_add_call (EpsimoRunStream *self,
                  const char      *message_id,
                  const char      *id,
                  gint64           index)
{
  g_autofree char *index_key = g_strdup_printf ("%s\x1f%" G_GINT64_FORMAT, message_id, index);
  ToolCall *call;

  if (id != NULL && (call = g_hash_table_lookup (self->calls_by_id, id)) != NULL)
    return call;

  /* A piece without an id belongs to the call at its index; a new id at a
   * known index is another call. */
  call = g_hash_table_lookup (self->calls_by_index, index_key);
  if (call != NULL && (id == NULL || call->id == NULL))
    {
      if (id != NULL)
        {
          call->id = g_strdup (id);
          g_hash_table_insert (self->calls_by_id, call->id, call);
        }
      return call;
    }

  call = g_new0 (ToolCall, 1);
  call->id = g_strdup (id);
  call->message_id = g_strdup (message_id);
  call->arguments = g_string_new (NULL);
  g_ptr_array_add (self->calls, call);
  g_hash_table_replace (self->calls_by_index, g_steal_pointer (&index_key), call);
  if (call->id != NULL)
    g_hash_table_insert (self->calls_by_id, call->id, call);

  return call;
}

static ToolCall *
update_tool_call (EpsimoRunStream *self,
                  const char      *message_id,
                  JsonObject      *item,
                  guint            position)
{
  const char *id = optional_string (item, "id");
  const char *name = optional_string (item, "name");
  JsonNode *args = json_object_get_member (item, "args");
  JsonNode *function = json_object_get_member (item, "function");
  gint64 index;
  ToolCall *call;

  /* The OpenAI shape, {id, index, function: {name, arguments}}, also occurs. */
  if (function != NULL && JSON_NODE_HOLDS_OBJECT (function))
    {
      JsonObject *function_object = json_node_get_object (function);

      if (name == NULL)
        name = optional_string (function_object, "name");
      if (args == NULL)
        args = json_object_get_member (function_object, "arguments");
    }

  if (id != NULL && id[0] == '\0')
    id = NULL;
  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (!optional_int (item, "index", &index))
    index = position;

  call = find_or_add_call (self, message_id, id, index);

  if (name != NULL && call->name == NULL)
    call->name = g_strdup (name);

  if (call->emitted || args == NULL)
    return call;

  if (node_holds (args, G_TYPE_STRING))
    {
      /* Pieces, or the whole text so far: the same rule as for content. */
      take_new_text (call->arguments, json_node_get_string (args));
      call->complete = arguments_complete (call->arguments);
    }
  else if (JSON_NODE_HOLDS_OBJECT (args) || JSON_NODE_HOLDS_ARRAY (args))
    {
      g_autofree char *json = json_to_string (args, FALSE);

      g_string_assign (call->arguments, json);
      call->complete = TRUE;
    }

  return call;
}

static GString *
shown_text (EpsimoRunStream *self,
            const char      *id)
{
  GString *shown = g_hash_table_lookup (self->shown, id);

  if (shown == NULL)
    {
      shown = g_string_new (NULL);
      g_hash_table_insert (self->shown, g_strdup (id), shown);
    }
  return shown;
}

static void
emit_text_delta (EpsimoRunStream *self,
                 const char      *id,
                 const char      *delta)
{
  EpsimoRunEvent *event = epsimo_run_event_new (EPSIMO_RUN_EVENT_TEXT_DELTA);

  event->text = g_strdup (delta);
  if (id[0] != '\0')
    event->message_id = g_strdup (id);
  emit_event (self, event);
}

/* @text_done: the content was taken care of already (handle_big_content()). */
static void
handle_ai_message (EpsimoRunStream *self,
                   JsonObject      *message,
                   gboolean         final,
                   gboolean         history,
                   gboolean         text_done)
{
  const char *id = optional_string (message, "id");
  g_autofree char *text = NULL;
  JsonArray *items;

  /* Chunks without an id are taken as one message. */
  if (id == NULL)
    id = "";

  if (!text_done)
    text = content_to_text (json_object_get_member (message, "content"));
  if (text != NULL)
    {
      const char *delta = take_new_text (shown_text (self, id), text);

      /* The escaped copy of the fast path no longer matches what was shown. */
      g_hash_table_remove (self->shown_raw, id);
      if (delta != NULL && !history)
        emit_text_delta (self, id, delta);
    }

  /* LangChain chunks carry the raw argument pieces in tool_call_chunks and a
   * best-effort parse of the partial text in tool_calls: prefer the pieces. */
  items = optional_array (message, "tool_call_chunks");
  if (items == NULL || json_array_get_length (items) == 0)
    items = optional_array (message, "tool_calls");

  for (guint i = 0; items != NULL && i < json_array_get_length (items) && !is_stopped (self); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      ToolCall *call;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      call = update_tool_call (self, id, json_node_get_object (node), i);
      if (history)
        call->emitted = TRUE;
      else if (call->complete && !call->emitted)
        emit_tool_call (self, call);
    }

  /* A final (not chunk) message has all its calls: nothing more will come. */
  if (final && !history)
    {
      for (guint i = 0; i < self->calls->len && !is_stopped (self); i++)
        {
          ToolCall *call = g_ptr_array_index (self->calls, i);

          if (!call->emitted && strcmp (call->message_id, id) == 0)
            emit_tool_call (self, call);
        }
    }
}

static void
handle_tool_message (EpsimoRunStream *self,
                     JsonObject      *message,
                     gboolean         history)
{
  const char *id = optional_string (message, "id");
  const char *tool_call_id = optional_string (message, "tool_call_id");
  const char *key = id != NULL ? id : tool_call_id;
  ToolCall *call = NULL;
  EpsimoRunEvent *event;

  /* The live backend sends a changed message list again: one result each. */
  if (key != NULL)
    {
      if (g_hash_table_contains (self->results_seen, key))
        return;
      g_hash_table_add (self->results_seen, g_strdup (key));
    }

  if (history)
    return;

  if (tool_call_id != NULL)
    call = g_hash_table_lookup (self->calls_by_id, tool_call_id);

  /* A result ends its call's arguments, whatever came of them. */
  if (call != NULL && !call->emitted)
    emit_tool_call (self, call);

  event = epsimo_run_event_new (EPSIMO_RUN_EVENT_TOOL_RESULT);
  event->message_id = g_strdup (id);
  event->tool_call_id = g_strdup (tool_call_id);
  event->tool_name = g_strdup (optional_string (message, "name"));
  if (event->tool_name == NULL && call != NULL)
    event->tool_name = g_strdup (call->name);
  event->content = result_to_text (json_object_get_member (message, "content"));
  if (event->content == NULL)
    event->content = g_strdup ("");
  emit_event (self, event);
}

static void
handle_live_messages (EpsimoRunStream *self,
                      JsonArray       *messages)
{
  guint n_messages = json_array_get_length (messages);
  guint history_end = 0;

  /* The live backend first sends the whole thread: the earlier turns, then
   * the user's new message. What comes before the last human message was
   * shown before this run: it is remembered (so it never reappears as new
   * text or calls) but not emitted. */
  for (guint i = 0; i < n_messages; i++)
    {
      JsonNode *node = json_array_get_element (messages, i);

      if (JSON_NODE_HOLDS_OBJECT (node)
          && g_strcmp0 (optional_string (json_node_get_object (node), "type"), "human") == 0)
        history_end = i;
    }

  for (guint i = 0; i < n_messages && !is_stopped (self); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      JsonObject *message;
      const char *type;

      /* LangGraph pairs each chunk with a metadata object: not a message. */
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      message = json_node_get_object (node);
      type = optional_string (message, "type");
      if (type == NULL)
        continue;

      if (strcmp (type, "ai") == 0 || strcmp (type, "AIMessageChunk") == 0)
        handle_ai_message (self, message, strcmp (type, "ai") == 0, i < history_end, FALSE);
      else if (strcmp (type, "tool") == 0)
        handle_tool_message (self, message, i < history_end);
      /* human and other messages are the user's side: nothing to show. */
    }
}

/* The fast path for long cumulative content.
 *
 * The live dialect repeats a message's whole text in every chunk: a 1 MB reply in 50,000
 * pieces is 25 GB of JSON, and parsing each event whole with json-glib took most of the
 * time of the stream and 30 ms and more per event near the end (longer than a frame). For
 * an event holding one message with a long string content, the content is located in the
 * raw JSON instead, the rest of the event is parsed without it, and only the part of the
 * content that follows what the last event held (compared as raw bytes) is decoded. The
 * work per event is then a scan and a memcmp, and what comes out is the same. Anything
 * unusual falls back to the full parse. */

/* Finds the raw text of the string member "content" of the one object in the array
 * @data. FALSE unless @data is such an array with exactly one such member. */
static gboolean
find_content (const char *data,
              gsize       len,
              gsize      *start,
              gsize      *end)
{
  guint depth = 0;
  guint found = 0;
  gboolean expect_key = FALSE;
  gboolean content_key = FALSE;
  gsize i = 0;

  while (i < len)
    {
      char c = data[i];

      if (c == '"')
        {
          gsize string_start = ++i;
          gboolean is_key = depth == 2 && expect_key;

          /* To the closing quote, stepping over escapes. */
          for (;;)
            {
              const char *quote = memchr (data + i, '"', len - i);
              gsize backslashes = 0;

              if (quote == NULL)
                return FALSE;
              i = (gsize) (quote - data);
              while (i - backslashes > string_start && data[i - backslashes - 1] == '\\')
                backslashes++;
              if (backslashes % 2 == 0)
                break;
              i++;
            }

          if (is_key)
            content_key = i - string_start == 7 && memcmp (data + string_start, "content", 7) == 0;
          else if (depth == 2 && content_key)
            {
              *start = string_start;
              *end = i;
              found++;
              content_key = FALSE;
            }
          i++;
          continue;
        }

      switch (c)
        {
        case '[':
        case '{':
          /* The array, then its one object, then anything inside that. */
          if ((depth == 0 && c != '[') || (depth == 1 && (c != '{' || found > 0)))
            return FALSE;
          depth++;
          expect_key = c == '{';
          content_key = FALSE;
          break;

        case ']':
        case '}':
          if (depth == 0)
            return FALSE;
          depth--;
          expect_key = FALSE;
          break;

        case ',':
          if (depth == 1)
            return FALSE;
          expect_key = depth == 2;
          content_key = FALSE;
          break;

        case ':':
          expect_key = FALSE;
          break;

        default:
          if (depth == 2 && !g_ascii_isspace (c))
            content_key = FALSE;
          break;
        }
      i++;
    }

  return depth == 0 && found == 1;
}

/* Appends the JSON string text @raw, decoded, to @out. FALSE for anything the fast path
 * leaves to json-glib: a control character, an unknown escape, a lone surrogate, NUL. */
static gboolean
append_unescaped (GString    *out,
                  const char *raw,
                  gsize       len)
{
  const char *p = raw;
  const char *end = raw + len;

  while (p < end)
    {
      const char *backslash = memchr (p, '\\', (gsize) (end - p));
      const char *run_end = backslash != NULL ? backslash : end;
      gunichar code;

      for (const char *q = p; q < run_end; q++)
        if ((guchar) *q < 0x20)
          return FALSE;
      g_string_append_len (out, p, run_end - p);
      if (backslash == NULL)
        break;

      p = backslash + 1;
      if (p >= end)
        return FALSE;
      switch (*p++)
        {
        case '"': g_string_append_c (out, '"'); continue;
        case '\\': g_string_append_c (out, '\\'); continue;
        case '/': g_string_append_c (out, '/'); continue;
        case 'b': g_string_append_c (out, '\b'); continue;
        case 'f': g_string_append_c (out, '\f'); continue;
        case 'n': g_string_append_c (out, '\n'); continue;
        case 'r': g_string_append_c (out, '\r'); continue;
        case 't': g_string_append_c (out, '\t'); continue;
        case 'u': break;
        default: return FALSE;
        }

      if (end - p < 4)
        return FALSE;
      code = 0;
      for (guint k = 0; k < 4; k++)
        {
          int digit = g_ascii_xdigit_value (p[k]);

          if (digit < 0)
            return FALSE;
          code = code * 16 + (gunichar) digit;
        }
      p += 4;

      if (code >= 0xD800 && code <= 0xDBFF)
        {
          gunichar low = 0;

          if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
            return FALSE;
          for (guint k = 2; k < 6; k++)
            {
              int digit = g_ascii_xdigit_value (p[k]);

              if (digit < 0)
                return FALSE;
              low = low * 16 + (gunichar) digit;
            }
          if (low < 0xDC00 || low > 0xDFFF)
            return FALSE;
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          p += 6;
        }
      else if ((code >= 0xDC00 && code <= 0xDFFF) || code == 0)
        return FALSE;

      g_string_append_unichar (out, code);
    }

  return TRUE;
}

/* TRUE when the event was handled here; FALSE leaves it to the full parse. */
static gboolean
handle_big_content (EpsimoRunStream *self,
                    const char      *data)
{
  gsize len = strlen (data);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GString) skeleton = NULL;
  g_autoptr(GString) text = NULL;
  JsonNode *root;
  JsonArray *array;
  JsonObject *message;
  const char *type;
  const char *id;
  const char *raw;
  gsize start = 0;
  gsize end = 0;
  gsize raw_len;
  GString *shown_raw;
  const char *delta = NULL;

  if (len < BIG_CONTENT || !find_content (data, len, &start, &end) || end - start < BIG_CONTENT)
    return FALSE;

  /* The event without its content: small, parsed as usual. */
  skeleton = g_string_sized_new (len - (end - start) + 1);
  g_string_append_len (skeleton, data, (gssize) start);
  g_string_append_len (skeleton, data + end, (gssize) (len - end));
  parser = json_parser_new ();
  if (!epsimo_json_parser_load (parser, skeleton->str, (gssize) skeleton->len, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_ARRAY (root)
      || json_array_get_length (array = json_node_get_array (root)) != 1
      || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    return FALSE;

  message = json_array_get_object_element (array, 0);
  type = optional_string (message, "type");
  if (type == NULL || (strcmp (type, "ai") != 0 && strcmp (type, "AIMessageChunk") != 0))
    return FALSE;
  id = optional_string (message, "id");
  if (id == NULL)
    id = "";

  raw = data + start;
  raw_len = end - start;
  shown_raw = g_hash_table_lookup (self->shown_raw, id);
  text = g_string_new (NULL);

  if (shown_raw != NULL && raw_len >= shown_raw->len
      && memcmp (raw, shown_raw->str, shown_raw->len) == 0)
    {
      /* Cumulative: only what follows is new (it starts at an escape's boundary, the
       * last content having been a whole JSON string). */
      if (!append_unescaped (text, raw + shown_raw->len, raw_len - shown_raw->len))
        {
          g_hash_table_remove (self->shown_raw, id);
          return FALSE;
        }
      g_string_append_len (shown_raw, raw + shown_raw->len, (gssize) (raw_len - shown_raw->len));
      if (text->len > 0)
        {
          g_string_append_len (shown_text (self, id), text->str, (gssize) text->len);
          delta = text->str;
        }
    }
  else
    {
      GString *shown = shown_text (self, id);
      gsize shown_before = shown->len;

      /* First seen, or not a continuation: the whole text, by the usual rule. The escaped
       * copy must stay the escaped form of what was shown. */
      if (!append_unescaped (text, raw, raw_len))
        {
          g_hash_table_remove (self->shown_raw, id);
          return FALSE;
        }
      delta = take_new_text (shown, text->str);
      if (delta == NULL)
        ;  /* nothing shown changed */
      else if (delta != text->str || shown_before == 0)
        g_hash_table_replace (self->shown_raw, g_strdup (id), g_string_new_len (raw, raw_len));
      else if (shown_raw != NULL)
        g_string_append_len (shown_raw, raw, (gssize) raw_len);
    }

  if (delta != NULL)
    emit_text_delta (self, id, delta);
  if (!is_stopped (self))
    handle_ai_message (self, message, strcmp (type, "ai") == 0, FALSE, TRUE);
  return TRUE;
}

static void
handle_live_event (EpsimoRunStream *self,
                   const char      *event_type,
                   const char      *data)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root = NULL;

  if (strcmp (event_type, "end") == 0 || is_done_marker (data))
    {
      emit_done (self);
      return;
    }

  parser = json_parser_new ();

  if (strcmp (event_type, "error") == 0)
    {
      /* An error is reported even when its data is not JSON. */
      if (epsimo_json_parser_load (parser, data, -1, NULL)
          && (root = json_parser_get_root (parser)) != NULL
          && JSON_NODE_HOLDS_OBJECT (root))
        emit_server_error (self, json_node_get_object (root), NULL);
      else
        emit_server_error (self, NULL, data[0] != '\0' ? data : NULL);
      return;
    }

  if (strcmp (event_type, "metadata") == 0)
    {
      EpsimoRunEvent *event;

      if (!parse_data (self, parser, data, &root))
        return;

      if (root != NULL
          && JSON_NODE_HOLDS_OBJECT (root)
          && is_error_object (json_node_get_object (root)))
        {
          emit_server_error (self, json_node_get_object (root), NULL);
          return;
        }

      if (self->started)
        return;

      self->started = TRUE;
      event = epsimo_run_event_new (EPSIMO_RUN_EVENT_STARTED);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        event->run_id = g_strdup (optional_string (json_node_get_object (root), "run_id"));
      emit_event (self, event);
    }
  else if (strcmp (event_type, "values") == 0)
    {
      EpsimoRunEvent *event;

      if (!parse_data (self, parser, data, &root) || root == NULL)
        return;

      /* The state of a graph whose state is its message list is a list.
       * Its members are not checked for errors: they are the user's data. */
      if (JSON_NODE_HOLDS_OBJECT (root))
        {
          event = epsimo_run_event_new (EPSIMO_RUN_EVENT_STATE);
          event->values = json_object_ref (json_node_get_object (root));
          emit_event (self, event);
        }
      else if (JSON_NODE_HOLDS_ARRAY (root))
        {
          event = epsimo_run_event_new (EPSIMO_RUN_EVENT_STATE);
          event->values = json_object_new ();
          json_object_set_array_member (event->values, "messages",
                                        json_array_ref (json_node_get_array (root)));
          emit_event (self, event);
        }
    }
  else if (strcmp (event_type, "messages") == 0
           || g_str_has_prefix (event_type, "messages/")
           || strcmp (event_type, "data") == 0      /* OpenGPTs-style servers */
           || strcmp (event_type, "message") == 0)  /* no event field */
    {
      if (handle_big_content (self, data))
        return;
      if (!parse_data (self, parser, data, &root) || root == NULL)
        return;

      if (JSON_NODE_HOLDS_ARRAY (root))
        handle_live_messages (self, json_node_get_array (root));
      else if (JSON_NODE_HOLDS_OBJECT (root) && is_error_object (json_node_get_object (root)))
        emit_server_error (self, json_node_get_object (root), NULL);
    }
  /* Unknown events are ignored: servers add new ones. */
}

/* Reference dialect */

static void
handle_reference_event (EpsimoRunStream *self,
                        const char      *data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  JsonObject *object;
  const char *type;

  if (is_done_marker (data))
    {
      emit_done (self);
      return;
    }

  if (!parse_data (self, parser, data, &root) || root == NULL)
    return;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      emit_protocol_error (self, "event data is not a JSON object");
      return;
    }

  object = json_node_get_object (root);
  type = optional_string (object, "type");

  if (is_error_object (object) || g_strcmp0 (type, "error") == 0)
    {
      emit_server_error (self, object, NULL);
    }
  else if (type == NULL)
    {
      /* Nothing this client knows how to show. */
    }
  else if (strcmp (type, "start") == 0)
    {
      EpsimoRunEvent *event;

      if (self->started)
        return;

      self->started = TRUE;
      event = epsimo_run_event_new (EPSIMO_RUN_EVENT_STARTED);
      event->run_id = g_strdup (optional_string (object, "run_id"));
      emit_event (self, event);
    }
  else if (strcmp (type, "content") == 0)
    {
      const char *delta = optional_string (object, "delta");
      EpsimoRunEvent *event;

      if (delta == NULL)
        {
          emit_protocol_error (self, "content event without a string delta");
          return;
        }

      if (delta[0] == '\0')
        return;

      event = epsimo_run_event_new (EPSIMO_RUN_EVENT_TEXT_DELTA);
      event->text = g_strdup (delta);
      event->message_id = g_strdup (optional_string (object, "message_id"));
      emit_event (self, event);
    }
  else if (strcmp (type, "tool_call") == 0)
    {
      const char *name = optional_string (object, "name");
      JsonNode *args = json_object_get_member (object, "args");
      EpsimoRunEvent *event;

      if (name == NULL)
        {
          emit_protocol_error (self, "tool_call event without a string name");
          return;
        }

      event = epsimo_run_event_new (EPSIMO_RUN_EVENT_TOOL_CALL);
      event->tool_call_id = g_strdup (optional_string (object, "id"));
      event->tool_name = g_strdup (name);
      if (args == NULL || JSON_NODE_HOLDS_NULL (args))
        event->arguments = g_strdup ("{}");
      else if (node_holds (args, G_TYPE_STRING))
        event->arguments = g_strdup (json_node_get_string (args));
      else
        event->arguments = json_to_string (args, FALSE);
      emit_event (self, event);
    }
  else if (strcmp (type, "tool_result") == 0)
    {
      JsonNode *content = json_object_get_member (object, "content");
      EpsimoRunEvent *event;

      if (content == NULL)
        content = json_object_get_member (object, "result");

      event = epsimo_run_event_new (EPSIMO_RUN_EVENT_TOOL_RESULT);
      event->tool_call_id = g_strdup (optional_string (object, "id"));
      event->tool_name = g_strdup (optional_string (object, "name"));
      event->content = result_to_text (content);
      if (event->content == NULL)
        event->content = g_strdup ("");
      emit_event (self, event);
    }
  else if (strcmp (type, "done") == 0)
    {
      emit_done (self);
    }
}

static EpsimoDialect
guess_dialect (const char *event_type,
               const char *data)
{
  static const char * const reference_types[] = {
    "start", "content", "tool_call", "tool_result", "error", "done", NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  const char *type;

  if (strcmp (event_type, "message") != 0)
    return EPSIMO_DIALECT_LIVE;

  if (!epsimo_json_parser_load (parser, data, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    return EPSIMO_DIALECT_LIVE;

  type = optional_string (json_node_get_object (root), "type");
  if (type != NULL && g_strv_contains (reference_types, type))
    return EPSIMO_DIALECT_REFERENCE;

  return EPSIMO_DIALECT_LIVE;
}

static void
on_sse_event (EpsimoSseParser *parser,
              const char      *event_type,
              const char      *data,
              const char      *last_event_id,
              gpointer         user_data)
{
  EpsimoRunStream *self = user_data;

  if (is_stopped (self))
    return;

  if (self->dialect == EPSIMO_DIALECT_UNKNOWN)
    self->dialect = guess_dialect (event_type, data);

  if (self->dialect == EPSIMO_DIALECT_REFERENCE)
    handle_reference_event (self, data);
  else
    handle_live_event (self, event_type, data);
}

/* GObject */

static void
epsimo_run_stream_dispose (GObject *object)
{
  EpsimoRunStream *self = (EpsimoRunStream *)object;

  if (self->parser != NULL)
    g_signal_handlers_disconnect_by_data (self->parser, self);
  g_clear_object (&self->parser);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (epsimo_run_stream_parent_class)->dispose (object);
}

static void
epsimo_run_stream_finalize (GObject *object)
{
  EpsimoRunStream *self = (EpsimoRunStream *)object;

  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_pointer (&self->shown_raw, g_hash_table_unref);
  g_clear_pointer (&self->calls_by_id, g_hash_table_unref);
  g_clear_pointer (&self->calls_by_index, g_hash_table_unref);
  g_clear_pointer (&self->calls, g_ptr_array_unref);
  g_clear_pointer (&self->results_seen, g_hash_table_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (epsimo_run_stream_parent_class)->finalize (object);
}

static void
epsimo_run_stream_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EpsimoRunStream *self = EPSIMO_RUN_STREAM (object);

  switch (prop_id)
    {
    case PROP_DIALECT:
      g_value_set_int (value, self->dialect);
      break;

    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_run_stream_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EpsimoRunStream *self = EPSIMO_RUN_STREAM (object);

  switch (prop_id)
    {
    case PROP_DIALECT:
      self->dialect = g_value_get_int (value);
      break;

    case PROP_IDLE_TIMEOUT:
      epsimo_run_stream_set_idle_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_run_stream_class_init (EpsimoRunStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_run_stream_dispose;
  object_class->finalize = epsimo_run_stream_finalize;
  object_class->get_property = epsimo_run_stream_get_property;
  object_class->set_property = epsimo_run_stream_set_property;

  /* An int, not an enum: EpsimoDialect has no GType of its own. */
  properties[PROP_DIALECT] =
    g_param_spec_int ("dialect", NULL, NULL,
                      EPSIMO_DIALECT_UNKNOWN, EPSIMO_DIALECT_REFERENCE, EPSIMO_DIALECT_UNKNOWN,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL,
                       0, G_MAXUINT, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoRunStream::event:
   * @self: the run stream
   * @event: the next step of the run
   *
   * Emitted for each step; the last is DONE or ERROR. Take a reference to
   * keep @event.
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  EPSIMO_TYPE_RUN_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
epsimo_run_stream_init (EpsimoRunStream *self)
{
  self->idle_timeout = 60;
  self->parser = epsimo_sse_parser_new ();
  g_signal_connect (self->parser, "event", G_CALLBACK (on_sse_event), self);

  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  self->shown_raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify)tool_call_free);
  self->calls_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->calls_by_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->results_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * epsimo_run_stream_new:
 * @dialect: the wire dialect of the server
 *
 * Returns: (transfer full): a run stream for one reply
 */
EpsimoRunStream *
epsimo_run_stream_new (EpsimoDialect dialect)
{
  return g_object_new (EPSIMO_TYPE_RUN_STREAM, "dialect", dialect, NULL);
}

/**
 * epsimo_run_stream_get_dialect:
 * @self: a run stream
 *
 * Returns: the dialect, once guessed if it was created as unknown
 */
EpsimoDialect
epsimo_run_stream_get_dialect (EpsimoRunStream *self)
{
  g_return_val_if_fail (EPSIMO_IS_RUN_STREAM (self), EPSIMO_DIALECT_UNKNOWN);

  return self->dialect;
}

/**
 * epsimo_run_stream_get_idle_timeout:
 * @self: a run stream
 *
 * Returns: the seconds of silence after which a read fails, 0 for never
 */
guint
epsimo_run_stream_get_idle_timeout (EpsimoRunStream *self)
{
  g_return_val_if_fail (EPSIMO_IS_RUN_STREAM (self), 0);

  return self->idle_timeout;
}

/**
 * epsimo_run_stream_set_idle_timeout:
 * @self: a run stream
 * @seconds: seconds without a byte before a read fails, 0 for never
 *
 * Takes effect from the next read of the body.
 */
void
epsimo_run_stream_set_idle_timeout (EpsimoRunStream *self,
                                    guint            seconds)
{
  g_return_if_fail (EPSIMO_IS_RUN_STREAM (self));

  if (self->idle_timeout == seconds)
    return;

  self->idle_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

/**
 * epsimo_run_stream_feed:
 * @self: a run stream
 * @data: (array length=len): bytes of the reply body
 * @len: the number of bytes
 *
 * Parses the next bytes of the body. Events are emitted before this returns.
 * Must not be called from an ::event handler.
 */
void
epsimo_run_stream_feed (EpsimoRunStream *self,
                        const char      *data,
                        gsize            len)
{
  g_return_if_fail (EPSIMO_IS_RUN_STREAM (self));
  g_return_if_fail (data != NULL || len == 0);

  if (is_stopped (self))
    return;

  /* A handler may drop the caller's reference. */
  g_object_ref (self);
  epsimo_sse_parser_feed (self->parser, data, len);
  g_object_unref (self);
}

/**
 * epsimo_run_stream_end:
 * @self: a run stream
 *
 * Tells the stream the body ended without a network error. The live
 * backend may just close the connection, so there this is DONE; the
 * reference dialect promises a "done" event, so there an end without it is
 * an ERROR (the reply was cut off). Must not be called from an ::event
 * handler.
 */
void
epsimo_run_stream_end (EpsimoRunStream *self)
{
  g_return_if_fail (EPSIMO_IS_RUN_STREAM (self));

  g_object_ref (self);

  epsimo_sse_parser_end (self->parser);

  if (!is_stopped (self))
    {
      if (self->dialect == EPSIMO_DIALECT_LIVE)
        {
          emit_done (self);
        }
      else
        {
          g_autoptr(GError) error = NULL;

          error = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK,
                                       _("The reply ended before it was complete"));
          emit_error (self, error);
        }
    }

  g_object_unref (self);
}

/* Reading a body */

typedef struct
{
  GInputStream *body;
  /* Cancelled by the caller's cancellable or by the idle timeout. */
  GCancellable *read_cancellable;
  /* Passes the caller's cancellation on from a main loop dispatch rather
   * than from the ::cancelled emission, where ending the read would have to
   * disconnect from the very signal being emitted (a deadlock). */
  GSource      *cancel_source;
  GSource      *idle_source;
  gboolean      timed_out;
} ReadData;

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
read_data_free (ReadData *data)
{
  clear_source (&data->cancel_source);
  clear_source (&data->idle_source);
  g_clear_object (&data->body);
  g_clear_object (&data->read_cancellable);
  g_free (data);
}

static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  ReadData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->cancel_source, g_source_unref);
  g_cancellable_cancel (data->read_cancellable);

  return G_SOURCE_REMOVE;
}

/* Ends the read with the outcome of the stream. */
static void
complete_read (GTask *task)
{
  EpsimoRunStream *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);

  clear_source (&data->cancel_source);
  clear_source (&data->idle_source);

  /* Once cancelled, the stream stays silent. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    self->cancelled = TRUE;

  self->reading = FALSE;
  g_clear_object (&self->cancellable);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  /* Borrowed: the pending read holds the task, and ends this source. */
  GTask *task = user_data;
  EpsimoRunStream *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&data->idle_source, g_source_unref);
  data->timed_out = TRUE;

  error = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK,
                               _("The server stopped responding"));
  emit_error (self, error);

  g_cancellable_cancel (data->read_cancellable);

  return G_SOURCE_REMOVE;
}

static void read_bytes_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

static gboolean
deadline_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = { NULL, NULL, deadline_dispatch, NULL, NULL, NULL };

static void
read_next (GTask *task)
{
  EpsimoRunStream *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);

  /* One source for the whole read, its deadline moved on at each read: a source made and
   * destroyed for each of the many reads of a fast stream cost more than the reads. */
  if (self->idle_timeout > 0)
    {
      if (data->idle_source == NULL)
        {
          data->idle_source = g_source_new (&deadline_funcs, sizeof (GSource));
          g_task_attach_source (task, data->idle_source, idle_timeout_cb);
        }
      g_source_set_ready_time (data->idle_source,
                               g_get_monotonic_time ()
                               + (gint64) self->idle_timeout * G_USEC_PER_SEC);
    }

  g_input_stream_read_bytes_async (data->body,
                                   READ_CHUNK_SIZE,
                                   g_task_get_priority (task),
                                   data->read_cancellable,
                                   read_bytes_cb,
                                   task);
}

static void
read_bytes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoRunStream *self = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gconstpointer chunk;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (data->idle_source != NULL)
    g_source_set_ready_time (data->idle_source, -1);

  /* After a cancellation or the timeout, the bytes (if any) are dropped. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)) || data->timed_out)
    {
      complete_read (task);
      return;
    }

  if (bytes == NULL)
    {
      g_autoptr(GError) lost = NULL;

      lost = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK,
                                  _("The connection was lost before the reply was complete"));
      epsimo_api_error_set_details (lost, 0, error->message, NULL);
      emit_error (self, lost);
      complete_read (task);
      return;
    }

  chunk = g_bytes_get_data (bytes, &size);
  if (size == 0)
    epsimo_run_stream_end (self);
  else
    epsimo_run_stream_feed (self, chunk, size);

  /* No need to wait for the server to close after DONE or ERROR. */
  if (is_stopped (self))
    {
      complete_read (task);
      return;
    }

  read_next (g_steal_pointer (&task));
}

/**
 * epsimo_run_stream_read_async:
 * @self: a run stream
 * @body: the reply body
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the run ended, failed or was cancelled
 * @user_data: data for @callback
 *
 * Reads @body in chunks and feeds it to @self until DONE or ERROR. A read
 * error emits ERROR (the connection was lost), and so does a body that stays
 * silent for #EpsimoRunStream:idle-timeout seconds. Once @cancellable is
 * cancelled nothing more is emitted and @body is not read again. The
 * operation holds a reference on @self and @body, so either may be dropped
 * by the caller while it runs.
 */
void
epsimo_run_stream_read_async (EpsimoRunStream     *self,
                              GInputStream        *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_return_if_fail (EPSIMO_IS_RUN_STREAM (self));
  g_return_if_fail (G_IS_INPUT_STREAM (body));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_run_stream_read_async);
  /* The reply is read below the priority of drawing: a server sending as fast as it can
   * must not keep the window from painting what came (nor from handling input). */
  g_task_set_priority (task, G_PRIORITY_DEFAULT_IDLE);

  if (self->reading)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The run stream is already reading a body");
      return;
    }

  if (self->cancelled)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The run stream was cancelled");
      return;
    }

  data = g_new0 (ReadData, 1);
  data->body = g_object_ref (body);
  data->read_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify)read_data_free);

  self->reading = TRUE;
  g_set_object (&self->cancellable, cancellable);

  if (self->finished || g_cancellable_is_cancelled (cancellable))
    {
      complete_read (task);
      return;
    }

  if (cancellable != NULL)
    {
      /* Borrows the task: complete_read() destroys the source. */
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_task_attach_source (task, data->cancel_source, G_SOURCE_FUNC (caller_cancelled_cb));
    }

  read_next (g_steal_pointer (&task));
}

/**
 * epsimo_run_stream_read_finish:
 * @self: a run stream
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: TRUE when the run ended with DONE; FALSE with the error of the
 *   ERROR event (an EPSIMO_API_ERROR) or G_IO_ERROR_CANCELLED
 */
gboolean
epsimo_run_stream_read_finish (EpsimoRunStream  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (EPSIMO_IS_RUN_STREAM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == epsimo_run_stream_read_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
