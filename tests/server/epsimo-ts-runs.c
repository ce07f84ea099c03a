/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-runs.h"
#include "epsimo-ts-routes.h"
#include "epsimo-ts-render.h"
#include "epsimo-ts-script.h"

/*
 * One run streams one SSE event per chunk. The next event is made only
 * after the previous one was written and --stream-delay ms have passed, so
 * a slow client holds back the run instead of growing the server's memory,
 * and each piece genuinely leaves as its own chunk.
 */

struct _EpsimoTsRuns
{
  GHashTable *active;
  GHashTable *statuses;
};

typedef enum
{
  PHASE_START,
  PHASE_STEPS,
  PHASE_TEXT,
  PHASE_TEXT_FINAL,
  PHASE_VALUES,
  PHASE_DONE,
  PHASE_END,
  PHASE_COMPLETE,
} Phase;

typedef struct
{
  gint               ref_count;
  EpsimoTsServer    *srv;
  SoupServerMessage *msg;
  gulong             finished_id;
  gulong             disconnected_id;
  gulong             wrote_chunk_id;
  char              *run_id;
  char              *thread_id;
  char              *project_id;
  gboolean           live;
  EpsimoTsScript    *script;
  Phase              phase;
  guint              step;
  guint              step_part;
  gboolean           values_pending;
  GString           *content;
  GString           *escaped;
  GString           *piece;
  char              *ai_id;
  char              *tool_ai_id;
  gint64             cut_after;
  guint64            events;
  guint              pending;
  guint              source_id;
  gboolean           cutting;
  gboolean           cancelled;
  gboolean           stopped;
  gboolean           reply_stored;
  gboolean           body_completed;
} Run;

static void emit_next (Run *run);

static Run *
run_ref (Run *run)
{
  g_atomic_int_inc (&run->ref_count);
  return run;
}

static void
run_unref (Run *run)
{
  if (!g_atomic_int_dec_and_test (&run->ref_count))
    return;

  g_clear_object (&run->msg);
  g_free (run->run_id);
  g_free (run->thread_id);
  g_free (run->project_id);
  g_clear_pointer (&run->script, epsimo_ts_script_free);
  g_string_free (run->content, TRUE);
  g_string_free (run->escaped, TRUE);
  g_string_free (run->piece, TRUE);
  g_free (run->ai_id);
  g_free (run->tool_ai_id);
  g_free (run);
}

EpsimoTsRuns *
epsimo_ts_runs_new (void)
{
  EpsimoTsRuns *runs = g_new0 (EpsimoTsRuns, 1);

  runs->active = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) run_unref);
  runs->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return runs;
}

guint
epsimo_ts_runs_count_active (EpsimoTsRuns *runs)
{
  return g_hash_table_size (runs->active);
}

JsonArray *
epsimo_ts_runs_to_json (EpsimoTsRuns *runs)
{
  static const char *phases[] = { "start", "steps", "text", "text-final", "values",
                                  "done", "end", "complete" };
  JsonArray *array = json_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, runs->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *run = value;
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "run_id", run->run_id);
      json_object_set_string_member (obj, "thread_id", run->thread_id);
      json_object_set_string_member (obj, "dialect", run->live ? "live" : "reference");
      json_object_set_string_member (obj, "phase", phases[run->phase]);
      json_object_set_int_member (obj, "events", (gint64) run->events);
      json_object_set_int_member (obj, "unwritten_chunks", run->pending);
      json_object_set_boolean_member (obj, "cancelled", run->cancelled);
      json_array_add_object_element (array, obj);
    }

  return array;
}

static EpsimoTsThread *
run_thread (Run *run)
{
  return epsimo_ts_store_find_thread (run->srv->store, run->thread_id);
}

/* Stops timers and signal handlers; the message is never touched again. */
static void
run_stop (Run        *run,
          const char *status)
{
  EpsimoTsRuns *runs = run->srv->runs;

  if (run->stopped)
    return;
  run->stopped = TRUE;

  g_clear_handle_id (&run->source_id, g_source_remove);
  g_clear_signal_handler (&run->finished_id, run->msg);
  g_clear_signal_handler (&run->disconnected_id, run->msg);
  g_clear_signal_handler (&run->wrote_chunk_id, run->msg);

  g_hash_table_replace (runs->statuses, g_strdup (run->run_id), (gpointer) status);
  g_hash_table_remove (runs->active, run->run_id);
}

void
epsimo_ts_runs_stop_all (EpsimoTsRuns *runs)
{
  g_autoptr(GList) list = g_hash_table_get_values (runs->active);

  for (GList *l = list; l != NULL; l = l->next)
    run_stop (l->data, "interrupted");
}

void
epsimo_ts_runs_free (EpsimoTsRuns *runs)
{
  if (runs == NULL)
    return;

  epsimo_ts_runs_stop_all (runs);
  g_hash_table_unref (runs->active);
  g_hash_table_unref (runs->statuses);
  g_free (runs);
}

/* ---- storing what the run produced ---- */

static void
store_reply (Run *run)
{
  EpsimoTsThread *thread;

  if (run->reply_stored)
    return;
  run->reply_stored = TRUE;

  thread = run_thread (run);
  if (thread == NULL || run->content->len == 0)
    return;

  epsimo_ts_thread_take_message (thread, run->ai_id, "assistant",
                                 g_strndup (run->content->str, run->content->len));
}

static void
store_tool_call (Run          *run,
                 EpsimoTsStep *step)
{
  EpsimoTsThread *thread = run_thread (run);
  EpsimoTsMessage *message;
  JsonArray *calls;
  JsonObject *call;

  if (thread == NULL)
    return;

  message = epsimo_ts_thread_append_message (thread, "assistant", "");
  call = json_object_new ();
  json_object_set_string_member (call, "id", step->call_id);
  json_object_set_string_member (call, "name", step->tool_name);
  json_object_set_object_member (call, "args", json_object_ref (step->args));
  calls = json_array_new ();
  json_array_add_object_element (calls, call);
  message->tool_calls = epsimo_ts_node_new_array (calls);
}

static void
store_tool_result (Run          *run,
                   EpsimoTsStep *step)
{
  EpsimoTsThread *thread = run_thread (run);
  EpsimoTsMessage *message;

  if (thread == NULL)
    return;

  message = epsimo_ts_thread_append_message (thread, "tool", step->result);
  message->tool_call_id = g_strdup (step->call_id);
  message->name = g_strdup (step->tool_name);

  if (step->db_key != NULL)
    json_object_set_member (thread->db, step->db_key, json_node_copy (step->db_value));
}

/* ---- events ---- */

static GString *
event_json (const char *event,
            JsonNode   *data)
{
  g_autofree char *text = epsimo_ts_json_to_string (data);
  GString *out = g_string_sized_new (strlen (text) + 32);

  if (event != NULL)
    g_string_append_printf (out, "event: %s\n", event);
  g_string_append_printf (out, "data: %s\n\n", text);
  json_node_unref (data);
  return out;
}

static GString *
event_object (const char *event,
              JsonObject *obj)
{
  return event_json (event, epsimo_ts_node_new_object (obj));
}

/* A live "messages" event holding one message. */
static GString *
event_live_message (JsonObject *message)
{
  JsonArray *array = json_array_new ();

  json_array_add_object_element (array, message);
  return event_json ("messages", epsimo_ts_node_new_array (array));
}

static GString *
event_start (Run *run)
{
  JsonObject *obj = json_object_new ();

  if (!run->live)
    json_object_set_string_member (obj, "type", "start");
  json_object_set_string_member (obj, "run_id", run->run_id);
  json_object_set_string_member (obj, "thread_id", run->thread_id);
  return event_object (run->live ? "metadata" : NULL, obj);
}

static GString *
event_values (Run *run)
{
  EpsimoTsThread *thread = run_thread (run);
  JsonObject *values;

  if (thread != NULL)
    values = epsimo_ts_render_state_values (thread, TRUE);
  else
    {
      values = json_object_new ();
      json_object_set_array_member (values, "messages", json_array_new ());
    }
  return event_object ("values", values);
}

/* Live tool calls send the arguments as a JSON string in two pieces, the
 * second keyed only by index, to exercise the client's assembly. */
static GString *
event_tool_call (Run          *run,
                 EpsimoTsStep *step)
{
  g_autoptr(JsonNode) args_node = epsimo_ts_node_new_object (json_object_ref (step->args));
  JsonObject *obj = json_object_new ();
  JsonObject *call = json_object_new ();

  if (!run->live)
    {
      json_object_set_string_member (obj, "type", "tool_call");
      json_object_set_string_member (obj, "id", step->call_id);
      json_object_set_string_member (obj, "name", step->tool_name);
      json_object_set_object_member (obj, "args", json_object_ref (step->args));
      json_object_unref (call);
      return event_object (NULL, obj);
    }
  else
    {
      g_autofree char *args = epsimo_ts_json_to_string (args_node);
      glong n_chars = g_utf8_strlen (args, -1);
      const char *middle = g_utf8_offset_to_pointer (args, n_chars / 2);
      JsonArray *calls = json_array_new ();

      json_object_set_int_member (call, "index", 0);
      if (run->step_part == 0)
        {
          g_autofree char *first = g_strndup (args, middle - args);

          json_object_set_string_member (call, "id", step->call_id);
          json_object_set_string_member (call, "name", step->tool_name);
          json_object_set_string_member (call, "args", first);
        }
      else
        json_object_set_string_member (call, "args", middle);
      json_array_add_object_element (calls, call);

      json_object_set_string_member (obj, "id", run->tool_ai_id);
      json_object_set_string_member (obj, "type", "AIMessageChunk");
      json_object_set_string_member (obj, "content", "");
      json_object_set_array_member (obj, "tool_calls", calls);
      return event_live_message (obj);
    }
}

static GString *
event_tool_result (Run          *run,
                   EpsimoTsStep *step)
{
  JsonObject *obj = json_object_new ();

  if (!run->live)
    {
      json_object_set_string_member (obj, "type", "tool_result");
      json_object_set_string_member (obj, "id", step->call_id);
      json_object_set_string_member (obj, "name", step->tool_name);
      json_object_set_string_member (obj, "content", step->result);
      return event_object (NULL, obj);
    }

  {
    g_autofree char *id = g_strconcat ("tool-", step->call_id, NULL);

    json_object_set_string_member (obj, "id", id);
    json_object_set_string_member (obj, "type", "tool");
    json_object_set_string_member (obj, "tool_call_id", step->call_id);
    json_object_set_string_member (obj, "name", step->tool_name);
    json_object_set_string_member (obj, "content", step->result);
    return event_live_message (obj);
  }
}

/* Built by hand: the cumulative content is escaped once, as it grows. */
static GString *
event_text (Run        *run,
            const char *type)
{
  GString *out;

  if (!run->live)
    {
      out = g_string_sized_new (run->piece->len + 48);
      g_string_append (out, "data: {\"type\":\"content\",\"delta\":\"");
      epsimo_ts_json_escape_append (out, run->piece->str, run->piece->len);
      g_string_append (out, "\"}\n\n");
      return out;
    }

  out = g_string_sized_new (run->escaped->len + 128);
  g_string_append (out, "event: messages\ndata: [{\"id\":\"");
  g_string_append (out, run->ai_id);
  g_string_append_printf (out, "\",\"type\":\"%s\",\"content\":\"", type);
  g_string_append_len (out, run->escaped->str, run->escaped->len);
  g_string_append (out, "\"}]\n\n");
  return out;
}

static void
advance_step (Run *run)
{
  run->step++;
  run->step_part = 0;
  if (run->step >= epsimo_ts_script_get_n_steps (run->script))
    run->phase = PHASE_TEXT;
}

/* The next event of the run, or NULL once everything was sent. */
static GString *
next_event (Run *run)
{
  for (;;)
    {
      switch (run->phase)
        {
        case PHASE_START:
          run->phase = epsimo_ts_script_get_n_steps (run->script) > 0 ? PHASE_STEPS : PHASE_TEXT;
          return event_start (run);

        case PHASE_STEPS:
          {
            EpsimoTsStep *step = epsimo_ts_script_get_step (run->script, run->step);
            GString *event;

            if (run->values_pending)
              {
                run->values_pending = FALSE;
                advance_step (run);
                return event_values (run);
              }

            if (step->kind == EPSIMO_TS_STEP_TOOL_CALL)
              {
                event = event_tool_call (run, step);
                if (run->live && run->step_part == 0)
                  {
                    run->step_part = 1;
                    return event;
                  }
                store_tool_call (run, step);
                advance_step (run);
                return event;
              }

            event = event_tool_result (run, step);
            store_tool_result (run, step);
            if (run->live && step->db_key != NULL)
              run->values_pending = TRUE;
            else
              advance_step (run);
            return event;
          }

        case PHASE_TEXT:
          if (epsimo_ts_script_next_piece (run->script, run->piece))
            {
              g_string_append_len (run->content, run->piece->str, run->piece->len);
              if (run->live)
                epsimo_ts_json_escape_append (run->escaped, run->piece->str, run->piece->len);
              return event_text (run, "AIMessageChunk");
            }
          store_reply (run);
          run->phase = run->live ? PHASE_TEXT_FINAL : PHASE_DONE;
          break;

        case PHASE_TEXT_FINAL:
          run->phase = PHASE_VALUES;
          return event_text (run, "ai");

        case PHASE_VALUES:
          run->phase = PHASE_DONE;
          return event_values (run);

        case PHASE_DONE:
          if (run->live)
            {
              run->phase = PHASE_END;
              return g_string_new ("data: [DONE]\n\n");
            }
          run->phase = PHASE_COMPLETE;
          if (run->cancelled)
            return g_string_new ("data: {\"type\":\"done\",\"status\":\"cancelled\"}\n\n");
          return g_string_new ("data: {\"type\":\"done\"}\n\n");

        case PHASE_END:
          run->phase = PHASE_COMPLETE;
          return g_string_new ("event: end\ndata: null\n\n");

        case PHASE_COMPLETE:
        default:
          return NULL;
        }
    }
}

/* ---- pacing ---- */

static void
append_chunk (Run     *run,
              GString *chunk)
{
  SoupMessageBody *body = soup_server_message_get_response_body (run->msg);
  g_autoptr(GBytes) bytes = g_string_free_to_bytes (chunk);

  run->pending++;
  soup_message_body_append_bytes (body, bytes);
  epsimo_ts_http_unpause (run->msg);
}

static gboolean
cut_cb (gpointer user_data)
{
  Run *run = run_ref (user_data);
  g_autoptr(GIOStream) stream = NULL;
  GSocket *socket;

  run->source_id = 0;
  run_stop (run, "cut");

  /* Shut the socket down first: when libsoup lets go of a stolen chunked
   * body it still writes the final zero-length chunk, and the client must
   * see the connection drop mid-body instead of a clean end. */
  socket = soup_server_message_get_socket (run->msg);
  /* libsoup looks the addresses up while stealing; after the shutdown
   * that would fail noisily, so have it cache them now. */
  soup_server_message_get_remote_address (run->msg);
  soup_server_message_get_local_address (run->msg);
  if (socket != NULL)
    {
      /* libsoup 3.2 takes a chunked body that stops between two chunks for a clean end:
       * stop inside one (a chunk header promising more than follows), as a dropped
       * connection really does. */
      static const char partial[] = "40\r\ndata: {\"partial";

      g_socket_send (socket, partial, sizeof partial - 1, NULL, NULL);
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }

  stream = soup_server_message_steal_connection (run->msg);
  epsimo_ts_http_mark_dead (run->msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);

  run_unref (run);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_cb (gpointer user_data)
{
  Run *run = user_data;

  run->source_id = 0;
  emit_next (run);
  return G_SOURCE_REMOVE;
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                Run               *run)
{
  if (run->pending > 0)
    run->pending--;
  if (run->pending > 0 || run->stopped || run->source_id != 0 || run->body_completed)
    return;

  if (run->cutting)
    run->source_id = g_idle_add (cut_cb, run);
  else if (run->srv->stream_delay_ms == 0)
    run->source_id = g_idle_add (emit_cb, run);
  else
    run->source_id = g_timeout_add (run->srv->stream_delay_ms, emit_cb, run);
}

static void
emit_next (Run *run)
{
  GString *event;

  if (run->stopped || run->body_completed || !epsimo_ts_http_is_alive (run->msg))
    return;

  if (run->cancelled && run->phase < PHASE_VALUES)
    {
      store_reply (run);
      run->phase = run->live ? PHASE_VALUES : PHASE_DONE;
    }

  /* A cut that the run did not reach still happens before the end. */
  if (run->cut_after > 0 && run->phase >= PHASE_DONE)
    {
      run->cutting = TRUE;
      run->source_id = g_idle_add (cut_cb, run);
      return;
    }

  event = next_event (run);
  if (event == NULL)
    {
      run->body_completed = TRUE;
      soup_message_body_complete (soup_server_message_get_response_body (run->msg));
      epsimo_ts_http_unpause (run->msg);
      return;
    }

  run->events++;
  if (run->cut_after > 0 && run->events >= (guint64) run->cut_after)
    run->cutting = TRUE;
  append_chunk (run, event);
}

static void
on_finished (SoupServerMessage *msg,
             Run               *run)
{
  run_stop (run, run->phase == PHASE_COMPLETE ? (run->cancelled ? "cancelled" : "success")
                                               : "interrupted");
}

/* ---- starting ---- */

static void
start_run (EpsimoTsRequest *req,
           EpsimoTsThread  *thread,
           const char      *text,
           gboolean         live)
{
  EpsimoTsServer *srv = req->srv;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  Run *run = g_new0 (Run, 1);
  guint64 bytes;
  guint64 pieces;

  run->ref_count = 1;
  run->srv = srv;
  run->msg = g_object_ref (req->msg);
  run->run_id = epsimo_ts_new_id ("run");
  run->thread_id = g_strdup (thread->thread_id);
  run->project_id = g_strdup (thread->project->project_id);
  run->live = live;
  run->content = g_string_new (NULL);
  run->escaped = g_string_new (NULL);
  run->piece = g_string_new (NULL);
  run->ai_id = epsimo_ts_new_id ("msg");
  run->tool_ai_id = epsimo_ts_new_id ("msg");
  run->cut_after = epsimo_ts_faults_take_cut (srv->faults);

  if (epsimo_ts_faults_take_next_reply (srv->faults, &bytes, &pieces))
    run->script = epsimo_ts_script_new_synthetic (bytes, pieces);
  else
    run->script = epsimo_ts_script_new_for_message (text);

  epsimo_ts_thread_append_message (thread, "user", text);

  soup_server_message_set_status (req->msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "X-Run-Id", run->run_id);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (req->msg), FALSE);

  run->finished_id = g_signal_connect (req->msg, "finished", G_CALLBACK (on_finished), run);
  run->disconnected_id = g_signal_connect (req->msg, "disconnected",
                                           G_CALLBACK (on_finished), run);
  run->wrote_chunk_id = g_signal_connect (req->msg, "wrote-chunk",
                                          G_CALLBACK (on_wrote_chunk), run);
  g_hash_table_insert (srv->runs->active, run->run_id, run);

  if (run->cut_after == 0)
    {
      /* Cut before any event: a comment makes sure the headers went out. */
      run->cutting = TRUE;
      append_chunk (run, g_string_new (": cut\n\n"));
      return;
    }

  emit_next (run);
}

/* The text of the last message of a live run's input. */
static const char *
live_input_text (JsonNode *input)
{
  JsonArray *messages = NULL;

  if (input == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (input))
    messages = json_node_get_array (input);
  else if (JSON_NODE_HOLDS_OBJECT (input))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (input), "messages");

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        messages = json_node_get_array (node);
    }
  if (messages == NULL)
    return NULL;

  for (guint i = json_array_get_length (messages); i > 0; i--)
    {
      JsonNode *node = json_array_get_element (messages, i - 1);
      JsonNode *content;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      content = json_object_get_member (json_node_get_object (node), "content");
      if (epsimo_ts_node_is_string (content))
        return json_node_get_string (content);
      if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
        {
          JsonArray *parts = json_node_get_array (content);

          for (guint j = 0; j < json_array_get_length (parts); j++)
            {
              JsonNode *part = json_array_get_element (parts, j);
              const char *text;

              if (!JSON_NODE_HOLDS_OBJECT (part))
                continue;
              text = epsimo_ts_object_get_string (json_node_get_object (part), "text");
              if (text != NULL)
                return text;
            }
        }
    }

  return NULL;
}

void
epsimo_ts_route_run_reference (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);
  JsonObject *body;
  const char *message;

  if (thread == NULL)
    return;

  body = epsimo_ts_request_body (req);
  if (body == NULL || !epsimo_ts_request_string (req, body, "message", TRUE, &message))
    return;

  start_run (req, thread, message, FALSE);
}

void
epsimo_ts_route_run_live (EpsimoTsRequest *req)
{
  JsonObject *body = epsimo_ts_request_body (req);
  EpsimoTsThread *thread;
  const char *thread_id;
  const char *assistant_id;
  const char *text;

  if (body == NULL ||
      !epsimo_ts_request_string (req, body, "thread_id", TRUE, &thread_id) ||
      !epsimo_ts_request_string (req, body, "assistant_id", FALSE, &assistant_id))
    return;

  if (assistant_id != NULL)
    {
      EpsimoTsAssistant *assistant = epsimo_ts_store_find_assistant (req->srv->store,
                                                                     assistant_id);

      if (assistant == NULL || assistant->project != req->project)
        {
          epsimo_ts_request_error (req, 422, "No assistant with this id in the project",
                                   "assistant_id", NULL);
          return;
        }
    }

  text = live_input_text (json_object_get_member (body, "input"));
  if (text == NULL || text[0] == '\0')
    {
      epsimo_ts_request_error (req, 422, "'input' must hold a message with text content",
                               "input", NULL);
      return;
    }

  thread = epsimo_ts_request_thread (req, thread_id);
  if (thread == NULL)
    return;

  start_run (req, thread, text, TRUE);
}

static void
cancel (EpsimoTsRequest *req,
        const char      *run_id,
        const char      *thread_id)
{
  Run *run = g_hash_table_lookup (req->srv->runs->active, run_id);
  const char *status;
  JsonObject *obj;

  if (run != NULL &&
      g_str_equal (run->project_id, req->project->project_id) &&
      (thread_id == NULL || g_str_equal (run->thread_id, thread_id)))
    {
      run->cancelled = TRUE;
      status = "cancelled";
    }
  else
    {
      /* A run that already ended answers with how it ended. */
      status = run == NULL ? g_hash_table_lookup (req->srv->runs->statuses, run_id) : NULL;
      if (status == NULL)
        {
          epsimo_ts_request_not_found (req, "Run");
          return;
        }
    }

  obj = json_object_new ();
  json_object_set_string_member (obj, "run_id", run_id);
  json_object_set_string_member (obj, "status", status);
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

void
epsimo_ts_route_run_cancel_reference (EpsimoTsRequest *req)
{
  EpsimoTsThread *thread = epsimo_ts_request_thread (req, req->params[0]);

  if (thread != NULL)
    cancel (req, req->params[1], thread->thread_id);
}

void
epsimo_ts_route_run_cancel_live (EpsimoTsRequest *req)
{
  cancel (req, req->params[0], NULL);
}
