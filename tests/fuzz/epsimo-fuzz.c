/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "epsimo-assistant.h"
#include "epsimo-balance.h"
#include "epsimo-file.h"
#include "epsimo-fuzz.h"
#include "epsimo-json.h"
#include "epsimo-jwt.h"
#include "epsimo-message.h"
#include "epsimo-project.h"
#include "epsimo-run-stream.h"
#include "epsimo-sse-parser.h"
#include "epsimo-state-reader.h"
#include "epsimo-thread.h"
#include "epsimo-tool.h"

/* A broken promise is a finding: abort with a message, as a sanitizer would. */
#define FUZZ_CHECK(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_printerr ("%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END

/* Piece sizes from 1 to 67 bytes, the same for the same input, so a crash replays:
 * small enough to split UTF-8 characters, CR LF pairs and field names. */
typedef struct
{
  guint32 state;
} Splitter;

static void
splitter_init (Splitter     *splitter,
               const guint8 *data,
               gsize         size)
{
  guint32 hash = 2166136261u;

  for (gsize i = 0; i < size; i++)
    hash = (hash ^ data[i]) * 16777619u;
  splitter->state = hash | 1;
}

static gsize
splitter_next (Splitter *splitter,
               gsize     left)
{
  guint32 x = splitter->state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  splitter->state = x;
  return MIN (left, (gsize) (x % 67) + 1);
}

/* SSE parser ---------------------------------------------------------------------------- */

static void
on_sse_event (EpsimoSseParser *parser,
              const char      *type,
              const char      *data,
              const char      *id,
              gpointer         user_data)
{
  GString *log = user_data;

  FUZZ_CHECK (type != NULL && data != NULL && id != NULL);
  FUZZ_CHECK (g_utf8_validate (type, -1, NULL));
  FUZZ_CHECK (g_utf8_validate (data, -1, NULL));
  FUZZ_CHECK (g_utf8_validate (id, -1, NULL));
  g_string_append_printf (log, "%s\x1f%s\x1f%s\x1e", type, data, id);
}

static char *
sse_parse (const guint8 *data,
           gsize         size,
           gboolean      split,
           gint64       *retry_out,
           char        **last_id_out)
{
  g_autoptr(EpsimoSseParser) parser = epsimo_sse_parser_new ();
  GString *log = g_string_new (NULL);
  Splitter splitter;
  gsize offset = 0;

  g_signal_connect (parser, "event", G_CALLBACK (on_sse_event), log);
  splitter_init (&splitter, data, size);
  while (offset < size)
    {
      gsize len = split ? splitter_next (&splitter, size - offset) : size - offset;

      epsimo_sse_parser_feed (parser, (const char *) data + offset, len);
      offset += len;
    }
  epsimo_sse_parser_end (parser);

  /* A reconnection reuses the parser: it must still work. */
  epsimo_sse_parser_feed (parser, "data: x\n\n", 9);
  epsimo_sse_parser_end (parser);

  *retry_out = epsimo_sse_parser_get_retry (parser);
  *last_id_out = g_strdup (epsimo_sse_parser_get_last_event_id (parser));
  FUZZ_CHECK (g_utf8_validate (*last_id_out, -1, NULL));
  return g_string_free (log, FALSE);
}

void
epsimo_fuzz_sse_parser (const guint8 *data,
                        gsize         size)
{
  g_autofree char *whole = NULL;
  g_autofree char *pieces = NULL;
  g_autofree char *whole_id = NULL;
  g_autofree char *pieces_id = NULL;
  gint64 whole_retry;
  gint64 pieces_retry;

  whole = sse_parse (data, size, FALSE, &whole_retry, &whole_id);
  pieces = sse_parse (data, size, TRUE, &pieces_retry, &pieces_id);
  FUZZ_CHECK (g_str_equal (whole, pieces));
  FUZZ_CHECK (whole_retry == pieces_retry);
  FUZZ_CHECK (g_str_equal (whole_id, pieces_id));
}

/* Run stream ---------------------------------------------------------------------------- */

typedef struct
{
  GString *log;
  guint    terminal;     /* DONE and ERROR events seen */
  guint    after_end;    /* events after a DONE or ERROR */
} RunLog;

static void
log_field (GString    *log,
           const char *value)
{
  if (value != NULL)
    {
      FUZZ_CHECK (g_utf8_validate (value, -1, NULL));
      g_string_append (log, value);
    }
  else
    g_string_append (log, "(null)");
  g_string_append_c (log, '\x1f');
}

static void
on_run_event (EpsimoRunStream *stream,
              EpsimoRunEvent  *event,
              gpointer         user_data)
{
  RunLog *run_log = user_data;
  GString *log = run_log->log;

  if (run_log->terminal > 0)
    run_log->after_end++;
  if (event->kind == EPSIMO_RUN_EVENT_DONE || event->kind == EPSIMO_RUN_EVENT_ERROR)
    run_log->terminal++;

  g_string_append_printf (log, "%d\x1f", event->kind);
  log_field (log, event->run_id);
  log_field (log, event->message_id);
  log_field (log, event->text);
  log_field (log, event->tool_call_id);
  log_field (log, event->tool_name);
  log_field (log, event->arguments);
  log_field (log, event->content);
  log_field (log, event->error_message);
  if (event->values != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event->values);
      g_autofree char *text = json_to_string (node, FALSE);

      log_field (log, text);
    }
  if (event->error != NULL)
    {
      FUZZ_CHECK (event->kind == EPSIMO_RUN_EVENT_ERROR);
      log_field (log, event->error->message);
    }
  FUZZ_CHECK (event->kind != EPSIMO_RUN_EVENT_ERROR
              || (event->error != NULL && event->error_message != NULL));
  g_string_append_c (log, '\x1e');
}

static void
run_log_check (RunLog *run_log)
{
  FUZZ_CHECK (run_log->terminal == 1);
  FUZZ_CHECK (run_log->after_end == 0);
}

static char *
run_feed (EpsimoDialect  dialect,
          const guint8  *data,
          gsize          size,
          gboolean       split)
{
  g_autoptr(EpsimoRunStream) stream = epsimo_run_stream_new (dialect);
  RunLog run_log = { g_string_new (NULL), 0, 0 };
  Splitter splitter;
  gsize offset = 0;

  g_signal_connect (stream, "event", G_CALLBACK (on_run_event), &run_log);
  splitter_init (&splitter, data, size);
  while (offset < size)
    {
      gsize len = split ? splitter_next (&splitter, size - offset) : size - offset;

      epsimo_run_stream_feed (stream, (const char *) data + offset, len);
      offset += len;
    }
  epsimo_run_stream_end (stream);
  /* Nothing follows the end, whatever comes after. */
  epsimo_run_stream_feed (stream, "data: {\"type\":\"done\"}\n\n", 24);
  epsimo_run_stream_end (stream);

  run_log_check (&run_log);
  return g_string_free (run_log.log, FALSE);
}

static void
on_read_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = epsimo_run_stream_read_finish (EPSIMO_RUN_STREAM (object), result, &error);
  FUZZ_CHECK (ok == (error == NULL));
  *done = TRUE;
}

static char *
run_read (EpsimoDialect  dialect,
          const guint8  *data,
          gsize          size)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(EpsimoRunStream) stream = epsimo_run_stream_new (dialect);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  RunLog run_log = { g_string_new (NULL), 0, 0 };
  gboolean done = FALSE;

  g_main_context_push_thread_default (context);
  body = g_memory_input_stream_new_from_bytes (bytes);
  g_signal_connect (stream, "event", G_CALLBACK (on_run_event), &run_log);
  epsimo_run_stream_read_async (stream, body, NULL, on_read_done, &done);
  while (!done)
    g_main_context_iteration (context, TRUE);
  g_clear_object (&stream);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  run_log_check (&run_log);
  return g_string_free (run_log.log, FALSE);
}

void
epsimo_fuzz_run_stream (EpsimoDialect  dialect,
                        const guint8  *data,
                        gsize          size)
{
  g_autofree char *whole = run_feed (dialect, data, size, FALSE);
  g_autofree char *pieces = run_feed (dialect, data, size, TRUE);
  g_autofree char *read = run_read (dialect, data, size);

  FUZZ_CHECK (g_str_equal (whole, pieces));
  FUZZ_CHECK (g_str_equal (whole, read));
}

/* Models -------------------------------------------------------------------------------- */

/* Reads every property, as a row binding would. */
static void
touch_properties (GObject *object)
{
  g_autofree GParamSpec **specs = NULL;
  guint n_specs = 0;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(specs[i]->flags & G_PARAM_READABLE))
        continue;
      g_value_init (&value, specs[i]->value_type);
      g_object_get_property (object, specs[i]->name, &value);
      if (G_VALUE_HOLDS_STRING (&value) && g_value_get_string (&value) != NULL)
        FUZZ_CHECK (g_utf8_validate (g_value_get_string (&value), -1, NULL));
      else if (G_VALUE_HOLDS (&value, G_TYPE_DATE_TIME) && g_value_get_boxed (&value) != NULL)
        g_free (g_date_time_format_iso8601 (g_value_get_boxed (&value)));
      else if (G_VALUE_HOLDS (&value, JSON_TYPE_OBJECT) && g_value_get_boxed (&value) != NULL)
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

          json_node_set_object (node, g_value_get_boxed (&value));
          g_free (json_to_string (node, FALSE));
        }
      else if (G_VALUE_HOLDS (&value, G_TYPE_LIST_MODEL) && g_value_get_object (&value) != NULL)
        {
          GListModel *model = g_value_get_object (&value);

          for (guint j = 0; j < g_list_model_get_n_items (model); j++)
            {
              g_autoptr(GObject) item = g_list_model_get_item (model, j);

              touch_properties (item);
            }
        }
    }
}

static void
serialize (JsonNode *node)
{
  g_autofree char *text = NULL;

  FUZZ_CHECK (node != NULL);
  text = json_to_string (node, FALSE);
  FUZZ_CHECK (g_utf8_validate (text, -1, NULL));
  json_node_unref (node);
}

/* Every model, then its update and its serializations, for one object. */
static void
fuzz_object (JsonObject *object)
{
  static const EpsimoDialect dialects[] = { EPSIMO_DIALECT_LIVE, EPSIMO_DIALECT_REFERENCE };
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(EpsimoTool) tool = NULL;
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(EpsimoMessage) message = NULL;
  g_autoptr(EpsimoFile) file = NULL;
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  const char *token;

#define TRY(var, fn) \
  G_STMT_START { \
    var = fn (object, &error); \
    FUZZ_CHECK ((var != NULL) == (error == NULL)); \
    if (error != NULL) \
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL)); \
    g_clear_error (&error); \
    if (var != NULL) \
      touch_properties (G_OBJECT (var)); \
  } G_STMT_END

  TRY (project, epsimo_project_new_from_json);
  TRY (assistant, epsimo_assistant_new_from_json);
  TRY (tool, epsimo_tool_new_from_json);
  TRY (thread, epsimo_thread_new_from_json);
  TRY (message, epsimo_message_new_from_json);
  TRY (file, epsimo_file_new_from_json);
  TRY (balance, epsimo_balance_new_from_json);
#undef TRY

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      if (project != NULL)
        serialize (epsimo_project_to_json (project, dialects[i]));
      if (assistant != NULL)
        {
          g_autoptr(EpsimoAssistant) copy = epsimo_assistant_copy (assistant);

          serialize (epsimo_assistant_to_json (assistant, dialects[i]));
          serialize (epsimo_assistant_to_json (copy, dialects[i]));
        }
      if (tool != NULL)
        {
          g_autoptr(EpsimoTool) copy = epsimo_tool_copy (tool);

          serialize (epsimo_tool_to_json (tool, dialects[i]));
          serialize (epsimo_tool_to_json (copy, dialects[i]));
        }
      if (thread != NULL)
        serialize (epsimo_thread_to_json (thread, dialects[i]));
      if (message != NULL)
        serialize (epsimo_message_to_json (message, dialects[i]));
    }

  /* An update with the same reply changes nothing it should not, and must not fail
   * where the creation did not. */
  if (project != NULL)
    FUZZ_CHECK (epsimo_project_update_from_json (project, object, NULL));
  if (assistant != NULL)
    FUZZ_CHECK (epsimo_assistant_update_from_json (assistant, object, NULL));
  if (thread != NULL)
    FUZZ_CHECK (epsimo_thread_update_from_json (thread, object, NULL));
  if (balance != NULL)
    FUZZ_CHECK (epsimo_balance_update_from_json (balance, object, NULL));

  /* Tokens come in the same replies: their expiry is read from the JWT. */
  token = epsimo_json_get_token (object);
  if (token != NULL)
    (void) epsimo_jwt_get_expiry (token);
}

/* Updates models made from a well-formed reply with the fuzzed object: the path of a
 * refresh, where a bad reply must leave the model as it was. */
static void
fuzz_update (JsonObject *object)
{
  static const char seed[] =
    "{\"project_id\":\"p1\",\"assistant_id\":\"a1\",\"thread_id\":\"t1\",\"name\":\"N\","
    "\"config\":{\"configurable\":{\"type\":\"agent\"}},\"thread_counter\":1,"
    "\"thread_max\":2}";
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(EpsimoProject) project = NULL;
  g_autoptr(EpsimoAssistant) assistant = NULL;
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(EpsimoBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *seed_object;
  gboolean ok;

  FUZZ_CHECK (json_parser_load_from_data (parser, seed, -1, NULL));
  seed_object = json_node_get_object (json_parser_get_root (parser));
  project = epsimo_project_new_from_json (seed_object, NULL);
  assistant = epsimo_assistant_new_from_json (seed_object, NULL);
  thread = epsimo_thread_new_from_json (seed_object, NULL);
  balance = epsimo_balance_new_from_json (seed_object, NULL);
  FUZZ_CHECK (project != NULL && assistant != NULL && thread != NULL && balance != NULL);

#define UPDATE(var, fn) \
  G_STMT_START { \
    ok = fn (var, object, &error); \
    FUZZ_CHECK (ok == (error == NULL)); \
    g_clear_error (&error); \
    touch_properties (G_OBJECT (var)); \
  } G_STMT_END

  UPDATE (project, epsimo_project_update_from_json);
  UPDATE (assistant, epsimo_assistant_update_from_json);
  UPDATE (thread, epsimo_thread_update_from_json);
  UPDATE (balance, epsimo_balance_update_from_json);
#undef UPDATE
}

void
epsimo_fuzz_models (const guint8 *data,
                    gsize         size)
{
  static const char * const wrappers[] = {
    "projects", "assistants", "threads", "messages", "files", "tools",
  };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(GError) error = NULL;

  root = epsimo_json_parse ((const char *) data, (gssize) size, &error);
  FUZZ_CHECK ((root != NULL) || error != NULL);
  if (root == NULL)
    return;

  copy = epsimo_json_node_copy (root);
  FUZZ_CHECK (epsimo_json_node_equal (root, copy));

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      fuzz_object (json_node_get_object (root));
      fuzz_update (json_node_get_object (root));
    }

  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      g_autoptr(GPtrArray) items = epsimo_json_get_list (root, wrappers[i], &error);

      g_clear_error (&error);
      if (items == NULL)
        continue;
      for (guint j = 0; j < items->len; j++)
        {
          JsonNode *item = g_ptr_array_index (items, j);

          if (JSON_NODE_HOLDS_OBJECT (item))
            fuzz_object (json_node_get_object (item));
        }
      /* A bare array is the same list for every wrapper. */
      if (JSON_NODE_HOLDS_ARRAY (root))
        break;
    }
}

/* Thread state ------------------------------------------------------------------------- */

/* What one reading kept, as text: the same input must keep the same however it is cut. */
static char *
state_outcome (EpsimoStateReadMode  mode,
               const char          *before,
               const guint8        *data,
               gsize                size,
               gsize                piece)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EpsimoStateRead) read = NULL;
  GString *out = g_string_new (NULL);

  read = epsimo_state_reader_scan_text (mode, 3, before, (const char *) data, (gssize) size,
                                        piece, &error);
  FUZZ_CHECK ((read == NULL) != (error == NULL));
  if (read == NULL)
    {
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      g_string_append_printf (out, "error %d", error->code);
      return g_string_free (out, FALSE);
    }

  if (mode == EPSIMO_STATE_READ_VALUES)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), read->values);
      g_autofree char *text = json_to_string (node, FALSE);

      FUZZ_CHECK (!json_object_has_member (read->values, "messages"));
      g_string_append (out, text);
      return g_string_free (out, FALSE);
    }

  FUZZ_CHECK (read->messages->len <= 3);
  FUZZ_CHECK (read->n_read >= read->messages->len);
  g_string_append_printf (out, "%u %d %d|", read->n_read, read->dropped, read->found_before);
  for (guint i = 0; i < read->messages->len; i++)
    {
      gsize len;
      const char *text = g_bytes_get_data (g_ptr_array_index (read->messages, i), &len);

      /* A kept message is one whole object. */
      FUZZ_CHECK (len >= 2 && text[0] == '{' && text[len - 1] == '}');
      g_string_append_len (out, text, (gssize) len);
      g_string_append_c (out, '|');
    }
  return g_string_free (out, FALSE);
}

void
epsimo_fuzz_thread_state (const guint8 *data,
                          gsize         size)
{
  /* The cut from the input's first byte: each input is also tried at other cuts. */
  gsize piece = size > 0 ? 1 + data[0] % 67 : 1;
  const char *cursors[] = { NULL, "m1", "a" };

  for (guint i = 0; i < G_N_ELEMENTS (cursors); i++)
    {
      g_autofree char *whole = state_outcome (EPSIMO_STATE_READ_MESSAGES, cursors[i], data,
                                              size, MAX (size, 1));
      g_autofree char *pieces = state_outcome (EPSIMO_STATE_READ_MESSAGES, cursors[i], data,
                                               size, piece);

      FUZZ_CHECK (g_str_equal (whole, pieces));
    }

  {
    g_autofree char *whole = state_outcome (EPSIMO_STATE_READ_VALUES, NULL, data, size,
                                            MAX (size, 1));
    g_autofree char *pieces = state_outcome (EPSIMO_STATE_READ_VALUES, NULL, data, size, piece);
    g_autofree char *bytes = state_outcome (EPSIMO_STATE_READ_VALUES, NULL, data, size, 1);

    FUZZ_CHECK (g_str_equal (whole, pieces));
    FUZZ_CHECK (g_str_equal (whole, bytes));
  }
}

gboolean
epsimo_fuzz_run_target (const char   *target,
                        const guint8 *data,
                        gsize         size)
{
  if (g_str_equal (target, "sse-parser"))
    epsimo_fuzz_sse_parser (data, size);
  else if (g_str_equal (target, "run-stream-live"))
    epsimo_fuzz_run_stream (EPSIMO_DIALECT_LIVE, data, size);
  else if (g_str_equal (target, "run-stream-reference"))
    epsimo_fuzz_run_stream (EPSIMO_DIALECT_REFERENCE, data, size);
  else if (g_str_equal (target, "models"))
    epsimo_fuzz_models (data, size);
  else if (g_str_equal (target, "markdown"))
    epsimo_fuzz_markdown (data, size);
  else if (g_str_equal (target, "thread-state"))
    epsimo_fuzz_thread_state (data, size);
  else
    return FALSE;
  return TRUE;
}
