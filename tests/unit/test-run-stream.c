/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-run-stream"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-run-stream.h"

/* Streams */

#define SUN   "\xE2\x98\x80"       /* U+2600, three bytes */
#define SMILE "\xF0\x9F\x98\x80"   /* U+1F600, four bytes */

static const char reference_stream[] =
  "data: {\"type\": \"start\", \"run_id\": \"run_123\"}\r\n\r\n"
  ": ping\n\n"
  "data: {\"type\": \"content\", \"delta\": \"Your\"}\n\n"
  "data: {\"type\": \"content\", \"delta\": \" order \xC3\xA9 " SMILE "\"}\n\n"
  "data: {\"type\": \"content\", \"delta\": \"\"}\n\n"
  "data: {\"type\": \"tool_call\", \"name\": \"database_query\", \"args\": {\"q\": 1}}\n\n"
  "data: {\"type\": \"tool_call\", \"id\": \"c2\", \"name\": \"f\", \"args\":"
  " \"{\\\"a\\\":2}\"}\n\n"
  "data: {\"type\": \"tool_result\", \"id\": \"c2\", \"name\": \"f\", \"result\": {\"ok\":"
  " true}}\n\n"
  "data: {\"type\": \"tool_result\", \"content\": \"plain\"}\n\n"
  "data: {\"type\": \"something_new\"}\n\n"
  "event: whatever\ndata: {\"type\": \"content\",\ndata: \"delta\": \"!\"}\n\n"
  "data: {\"type\": \"done\"}\n\n";

static const char reference_expected[] =
  "STARTED run=run_123\n"
  "TEXT msg=- text=Your\n"
  "TEXT msg=- text= order \xC3\xA9 " SMILE "\n"
  "CALL msg=- id=- name=database_query args={\"q\":1}\n"
  "CALL msg=- id=c2 name=f args={\"a\":2}\n"
  "RESULT msg=- id=c2 name=f content={\"ok\":true}\n"
  "RESULT msg=- id=- name=- content=plain\n"
  "TEXT msg=- text=!\n"
  "DONE\n";

static const char live_stream[] =
  "event: metadata\r\n"
  "data: {\"run_id\": \"run-1\", \"thread_id\": \"t-1\"}\r\n"
  "\r\n"
  /* The whole thread first: an earlier turn, then the user's message. */
  "event: messages\n"
  "data: [{\"id\": \"old\", \"type\": \"ai\", \"content\": \"Earlier answer\","
  " \"tool_calls\": [{\"id\": \"old-call\", \"name\": \"x\", \"args\": {}}]},"
  " {\"id\": \"old-result\", \"type\": \"tool\", \"tool_call_id\": \"old-call\","
  " \"content\": \"r\"},"
  " {\"id\": \"h1\", \"type\": \"human\", \"content\": \"What is the weather?\"}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": \"Let me \"}]\n\n"
  ": keep-alive\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": \"Let me check"
  " " SUN "\"}]\n\n"
  /* Content as parts; the first piece of the arguments, keyed by index. */
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": ["
  "{\"type\": \"text\", \"text\": \"Let me check " SUN "\"}, {\"type\": \"image_url\"},"
  " {\"type\": \"text\", \"text\": \" now.\"}],"
  " \"tool_calls\": [{\"index\": 0, \"id\": \"call_1\", \"name\": \"search\","
  " \"args\": \"{\\\"query\\\": \"}]}]\n\n"
  /* A repeat of the content, the rest of the arguments by index alone. */
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": \"Let me check"
  " " SUN " now.\","
  " \"tool_calls\": [{\"index\": 0, \"args\": \"\\\"weather\\\"}\"}]}]\n\n"
  /* The final message: nothing new. */
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"ai\", \"content\": \"Let me check " SUN " now.\","
  " \"tool_calls\": [{\"id\": \"call_1\", \"name\": \"search\", \"args\": {\"query\":"
  " \"weather\"}}]}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"t1\", \"type\": \"tool\", \"tool_call_id\": \"call_1\", \"name\": \"search\","
  " \"content\": \"Sunny, 21 \xC2\xB0" "C\"}]\n\n"
  /* The tool message again (the backend resends changed lists). */
  "event: messages\n"
  "data: [{\"id\": \"t1\", \"type\": \"tool\", \"tool_call_id\": \"call_1\","
  " \"content\": \"Sunny, 21 \xC2\xB0" "C\"},"
  " {\"id\": \"m2\", \"type\": \"AIMessageChunk\", \"content\": \"It is \"}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m2\",\n"
  "data:   \"type\": \"AIMessageChunk\", \"content\": \"It is sunny.\"}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m2\", \"type\": \"AIMessageChunk\", \"content\": \"It is\"}]\n\n"
  "event: values\n"
  "data: {\"messages\": [{\"id\": \"h1\", \"type\": \"human\", \"content\": \"Hi\"}],"
  " \"notes\": {\"city\": \"Paris\"}}\n\n"
  "event: something-new\n"
  "data: not json at all\n\n"
  "data: [DONE]\n\n"
  "event: end\n\n";

static const char live_expected[] =
  "STARTED run=run-1\n"
  "TEXT msg=m1 text=Let me \n"
  "TEXT msg=m1 text=check " SUN "\n"
  "TEXT msg=m1 text= now.\n"
  "CALL msg=m1 id=call_1 name=search args={\"query\": \"weather\"}\n"
  "RESULT msg=t1 id=call_1 name=search content=Sunny, 21 \xC2\xB0" "C\n"
  "TEXT msg=m2 text=It is \n"
  "TEXT msg=m2 text=sunny.\n"
  "STATE values={\"messages\":[{\"id\":\"h1\",\"type\":\"human\",\"content\":\"Hi\"}],"
  "\"notes\":{\"city\":\"Paris\"}}\n"
  "DONE\n";

/* Real deltas (LangGraph's "messages" mode, each chunk paired with its
 * metadata), pieces keyed by id, a result before complete arguments, and an
 * end by closing. */
static const char live_delta_stream[] =
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": \"Hel\"},"
  " {\"langgraph_node\": \"agent\"}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": \"lo\"},"
  " {\"langgraph_node\": \"agent\"}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": \"\","
  " \"tool_calls\": [{\"name\": \"f\", \"args\": {}}],"
  " \"tool_call_chunks\": [{\"id\": \"a\", \"name\": \"f\", \"args\": \"{\\\"x\\\"\","
  " \"index\": 0},"
  " {\"id\": \"b\", \"name\": \"g\", \"args\": \"{\", \"index\": 1}]}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m1\", \"type\": \"AIMessageChunk\", \"content\": \"\","
  " \"tool_call_chunks\": [{\"id\": \"a\", \"args\": \": 1}\"}]}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"r1\", \"type\": \"tool\", \"tool_call_id\": \"b\","
  " \"content\": [{\"type\": \"text\", \"text\": \"partial\"}]}]\n\n"
  "event: messages\n"
  "data: [{\"type\": \"AIMessageChunk\", \"content\": \"No id\","
  " \"tool_calls\": [{\"id\": \"c\", \"function\": {\"name\": \"h\", \"arguments\":"
  " \"{\\\"y\\\": \"}}]}]\n\n"
  "event: messages\n"
  "data: [{\"type\": \"AIMessageChunk\", \"content\": \"No id.\"}]\n\n"
  "event: messages\n"
  "data: [{\"id\": \"m4\", \"type\": \"ai\", \"content\": \"\","
  " \"tool_calls\": [{\"id\": \"d\", \"name\": \"k\"}]}]\n\n"
  "data: {\"status_code\": 200, \"message\": \"fine\"}\n\n"
  "data: [{\"id\": \"m5\", \"type\": \"human\", \"content\": \"ignored\"}]\n\n";

static const char live_delta_expected[] =
  "TEXT msg=m1 text=Hel\n"
  "TEXT msg=m1 text=lo\n"
  "CALL msg=m1 id=a name=f args={\"x\": 1}\n"
  "CALL msg=m1 id=b name=g args={\n"
  "RESULT msg=r1 id=b name=g content=partial\n"
  "TEXT msg=- text=No id\n"
  "TEXT msg=- text=.\n"
  "CALL msg=m4 id=d name=k args={}\n"
  "CALL msg=- id=c name=h args={\"y\": \n"
  "DONE\n";

typedef struct
{
  const char *name;
  EpsimoDialect dialect;
  const char *input;
  const char *expected;
} Fixture;

static const Fixture fixtures[] = {
  { "reference", EPSIMO_DIALECT_REFERENCE, reference_stream, reference_expected },
  { "reference-guessed", EPSIMO_DIALECT_UNKNOWN, reference_stream, reference_expected },
  { "live", EPSIMO_DIALECT_LIVE, live_stream, live_expected },
  { "live-guessed", EPSIMO_DIALECT_UNKNOWN, live_stream, live_expected },
  { "live-deltas", EPSIMO_DIALECT_LIVE, live_delta_stream, live_delta_expected },

  /* Errors */
  { "live-error-event", EPSIMO_DIALECT_LIVE,
    "event: metadata\ndata: {\"run_id\": \"r\"}\n\n"
    "event: messages\ndata: [{\"id\": \"m\", \"type\": \"AIMessageChunk\", \"content\":"
    " \"Hi\"}]\n\n"
    "event: error\ndata: {\"status_code\": 500, \"message\": \"Internal Server Error\"}\n\n"
    "event: messages\ndata: [{\"id\": \"m\", \"type\": \"AIMessageChunk\", \"content\":"
    " \"Hi!\"}]\n\n"
    "event: end\ndata:\n\n",
    "STARTED run=r\nTEXT msg=m text=Hi\n"
    "ERROR SERVER message=Internal Server Error status=500 detail=Internal Server Error\n" },
  { "live-error-event-not-json", EPSIMO_DIALECT_LIVE,
    "event: error\ndata: boom\n\n",
    "ERROR SERVER message=boom status=0 detail=boom\n" },
  { "live-error-event-empty", EPSIMO_DIALECT_LIVE,
    "event: error\ndata\n\n",
    "ERROR SERVER message=The assistant could not finish its reply status=0 detail=-\n" },
  { "live-status-code", EPSIMO_DIALECT_LIVE,
    "data: {\"status_code\": 429, \"detail\": \"Too many requests\"}\n\n",
    "ERROR RATE_LIMITED message=Too many requests status=429 detail=Too many requests\n" },
  { "live-status-code-in-messages", EPSIMO_DIALECT_LIVE,
    "event: messages\ndata: {\"status_code\": 503, \"message\": \"Busy\", \"detail\": \"Try"
    " later\"}\n\n",
    "ERROR SERVER message=Busy status=503 detail=Try later\n" },
  { "live-processing-error", EPSIMO_DIALECT_LIVE,
    "event: messages\ndata: {\"type\": \"processing_error\", \"detail\": \"Tool crashed\"}\n\n",
    "ERROR SERVER message=Tool crashed status=0 detail=Tool crashed\n" },
  { "live-malformed-json", EPSIMO_DIALECT_LIVE,
    "event: metadata\ndata: {\"run_id\": \"r\"}\n\n"
    "event: messages\ndata: [{\"id\": \n\n"
    "data: [DONE]\n\n",
    "STARTED run=r\n"
    "ERROR PROTOCOL message=The server sent a reply that could not be read status=0 detail=*\n" },
  { "live-malformed-metadata", EPSIMO_DIALECT_LIVE,
    "event: metadata\ndata: run-1\n\n",
    "ERROR PROTOCOL message=The server sent a reply that could not be read status=0 detail=*\n" },
  { "live-wrong-types", EPSIMO_DIALECT_LIVE,
    "event: metadata\ndata: [1]\n\n"
    "event: metadata\ndata: {\"run_id\": \"late\"}\n\n"
    "event: messages\ndata: [{\"id\": 5, \"type\": \"tool\", \"content\": 7,"
    " \"tool_call_id\": []},"
    " 3, null, [], {\"type\": 1}, {\"type\": \"AIMessageChunk\", \"content\": {\"a\": 1},"
    " \"tool_calls\": \"x\", \"tool_call_chunks\": [5, {\"index\": \"0\", \"args\": 3}]}]\n\n"
    "event: messages\ndata: {\"status_code\": \"500\"}\n\n"
    "event: messages\ndata: 17\n\n"
    "event: messages\ndata:\n\n"
    "event: values\ndata: 5\n\n"
    "event: values\ndata: [{\"id\": \"x\"}]\n\n",
    "STARTED run=-\n"
    "RESULT msg=- id=- name=- content=7\n"
    "STATE values={\"messages\":[{\"id\":\"x\"}]}\n"
    "CALL msg=- id=- name=- args={}\n"
    "DONE\n" },
  { "live-done-once", EPSIMO_DIALECT_LIVE,
    "data: [DONE]\n\nevent: end\n\ndata: [DONE]\n\n",
    "DONE\n" },
  { "live-done-marker-spaces", EPSIMO_DIALECT_LIVE,
    "data:  [DONE] \n\nevent: messages\ndata: [{\"id\": \"m\", \"type\": \"ai\","
    " \"content\": \"late\"}]\n\n",
    "DONE\n" },
  { "live-end-event", EPSIMO_DIALECT_LIVE,
    "event: messages\ndata: [{\"id\": \"m\", \"type\": \"ai\", \"content\": \"Hi\"}]\n\n"
    "event: end\ndata:\n\n"
    "event: messages\ndata: [{\"id\": \"m\", \"type\": \"ai\", \"content\": \"Hi again\"}]\n\n",
    "TEXT msg=m text=Hi\nDONE\n" },
  /* An event without a data line is not dispatched (the SSE spec): the
   * close that follows ends the run. */
  { "live-end-event-without-data", EPSIMO_DIALECT_LIVE,
    "event: messages\ndata: [{\"id\": \"m\", \"type\": \"ai\", \"content\": \"Hi\"}]\n\n"
    "event: end\n\n",
    "TEXT msg=m text=Hi\nDONE\n" },
  { "live-unterminated-event-dropped", EPSIMO_DIALECT_LIVE,
    "event: messages\ndata: [{\"id\": \"m\", \"type\": \"ai\", \"content\": \"Hi\"}]\n\n"
    "event: messages\ndata: [{\"id\": \"m\", \"type\": \"ai\", \"content\": \"Hi there\"}]\n",
    "TEXT msg=m text=Hi\nDONE\n" },
  { "reference-error", EPSIMO_DIALECT_REFERENCE,
    "data: {\"type\": \"start\", \"run_id\": \"r\"}\n\n"
    "data: {\"type\": \"error\", \"detail\": \"Quota exceeded\"}\n\n"
    "data: {\"type\": \"done\"}\n\n",
    "STARTED run=r\n"
    "ERROR SERVER message=Quota exceeded status=0 detail=Quota exceeded\n" },
  { "reference-status-code", EPSIMO_DIALECT_REFERENCE,
    "data: {\"status_code\": 401, \"error\": \"Unauthorized\"}\n\n",
    "ERROR UNAUTHORIZED message=Unauthorized status=401 detail=Unauthorized\n" },
  { "reference-end-without-done", EPSIMO_DIALECT_REFERENCE,
    "data: {\"type\": \"start\", \"run_id\": \"r\"}\n\n"
    "data: {\"type\": \"content\", \"delta\": \"Half a\"}\n\n",
    "STARTED run=r\nTEXT msg=- text=Half a\n"
    "ERROR NETWORK message=The reply ended before it was complete status=0 detail=-\n" },
  { "reference-empty", EPSIMO_DIALECT_REFERENCE,
    "",
    "ERROR NETWORK message=The reply ended before it was complete status=0 detail=-\n" },
  { "reference-malformed-json", EPSIMO_DIALECT_REFERENCE,
    "data: {\"type\": \"content\", \"delta\": \"a\"}\n\ndata: {oops}\n\n",
    "TEXT msg=- text=a\n"
    "ERROR PROTOCOL message=The server sent a reply that could not be read status=0 detail=*\n" },
  { "reference-not-an-object", EPSIMO_DIALECT_REFERENCE,
    "data: [1]\n\n",
    "ERROR PROTOCOL message=The server sent a reply that could not be read status=0 detail=*\n" },
  { "reference-wrong-delta", EPSIMO_DIALECT_REFERENCE,
    "data: {\"type\": \"start\", \"run_id\": 5}\n\n"
    "data: {\"type\": \"content\", \"delta\": 5}\n\n",
    "STARTED run=-\n"
    "ERROR PROTOCOL message=The server sent a reply that could not be read status=0 detail=*\n" },
  { "reference-done-marker", EPSIMO_DIALECT_REFERENCE,
    "data: {\"type\": \"start\"}\n\ndata: {\"type\": \"start\"}\n\n"
    "data: {\"type\": \"tool_call\", \"name\": \"n\"}\n\ndata: [DONE]\n\n",
    "STARTED run=-\nCALL msg=- id=- name=n args={}\nDONE\n" },
};

/* Collecting events */

static const char * const error_names[] = {
  "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "VALIDATION",
  "RATE_LIMITED", "SERVER", "NETWORK", "PROTOCOL", "INVALID_URL",
};

#define S(s) ((s) != NULL ? (s) : "-")

typedef struct
{
  GString      *dump;
  GHashTable   *texts;       /* message id -> all its deltas joined */
  guint         n_events;
  guint         n_ends;
  GCancellable *cancel_on_text;
  gboolean      unref_on_end;
} Collector;

/* `build-aux/dev test --sanitize` and `build-aux/dev valgrind` run the programs many times
 * slower: they set EPSIMO_TEST_TIME_SCALE, and every wall-clock bound grows by it. */
static double
time_scale (void)
{
  const char *scale = g_getenv ("EPSIMO_TEST_TIME_SCALE");

  return scale != NULL ? MAX (g_ascii_strtod (scale, NULL), 1.0) : 1.0;
}

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static void
collector_init (Collector *collector)
{
  memset (collector, 0, sizeof *collector);
  collector->dump = g_string_new (NULL);
  collector->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
}

static void
collector_clear (Collector *collector)
{
  if (collector->dump != NULL)
    g_string_free (collector->dump, TRUE);
  g_hash_table_unref (collector->texts);
}

static void
on_event (EpsimoRunStream *stream,
          EpsimoRunEvent  *event,
          Collector       *collector)
{
  GString *dump = collector->dump;

  /* Nothing after DONE or ERROR, ever. */
  g_assert_cmpuint (collector->n_ends, ==, 0);
  collector->n_events++;

  switch (event->kind)
    {
    case EPSIMO_RUN_EVENT_STARTED:
      g_string_append_printf (dump, "STARTED run=%s\n", S (event->run_id));
      break;

    case EPSIMO_RUN_EVENT_TEXT_DELTA:
      {
        GString *text = g_hash_table_lookup (collector->texts, S (event->message_id));

        g_assert_nonnull (event->text);
        g_assert_cmpstr (event->text, !=, "");
        g_assert_true (g_utf8_validate (event->text, -1, NULL));
        g_string_append_printf (dump, "TEXT msg=%s text=%s\n", S (event->message_id), event->text);

        if (text == NULL)
          g_hash_table_insert (collector->texts, g_strdup (S (event->message_id)),
                               (text = g_string_new (NULL)));
        g_string_append (text, event->text);

        if (collector->cancel_on_text != NULL)
          g_cancellable_cancel (collector->cancel_on_text);
      }
      break;

    case EPSIMO_RUN_EVENT_TOOL_CALL:
      g_assert_nonnull (event->arguments);
      g_string_append_printf (dump, "CALL msg=%s id=%s name=%s args=%s\n",
                              S (event->message_id), S (event->tool_call_id),
                              S (event->tool_name), event->arguments);
      break;

    case EPSIMO_RUN_EVENT_TOOL_RESULT:
      g_assert_nonnull (event->content);
      g_string_append_printf (dump, "RESULT msg=%s id=%s name=%s content=%s\n",
                              S (event->message_id), S (event->tool_call_id),
                              S (event->tool_name), event->content);
      break;

    case EPSIMO_RUN_EVENT_STATE:
      {
        g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event->values);
        g_autofree char *json = json_to_string (node, FALSE);

        g_string_append_printf (dump, "STATE values=%s\n", json);
      }
      break;

    case EPSIMO_RUN_EVENT_ERROR:
      {
        const char *detail;

        g_assert_nonnull (event->error);
        g_assert_error (event->error, EPSIMO_API_ERROR, event->error->code);
        g_assert_cmpstr (event->error_message, ==, event->error->message);
        g_assert_cmpint (event->error->code, <, G_N_ELEMENTS (error_names));
        detail = epsimo_api_error_get_detail (event->error);
        /* Parser messages are json-glib's, not ours to pin down. */
        if (event->error->code == EPSIMO_API_ERROR_PROTOCOL && detail != NULL)
          detail = "*";
        g_string_append_printf (dump, "ERROR %s message=%s status=%u detail=%s\n",
                                error_names[event->error->code], event->error_message,
                                epsimo_api_error_get_status (event->error), S (detail));
        collector->n_ends++;
      }
      break;

    case EPSIMO_RUN_EVENT_DONE:
      g_string_append (dump, "DONE\n");
      collector->n_ends++;
      break;

    default:
      g_assert_not_reached ();
    }

  if (collector->n_ends > 0 && collector->unref_on_end)
    g_object_unref (stream);
}

static EpsimoRunStream *
new_stream (EpsimoDialect  dialect,
            Collector     *collector)
{
  EpsimoRunStream *stream = epsimo_run_stream_new (dialect);

  g_signal_connect (stream, "event", G_CALLBACK (on_event), collector);
  return stream;
}

/* Feeds @input in pieces of at most @step bytes after cutting it at @cut. */
static char *
run_fixture (const Fixture *fixture,
             gsize          cut,
             gsize          step)
{
  Collector collector;
  g_autoptr(EpsimoRunStream) stream = NULL;
  gsize len = strlen (fixture->input);
  char *dump;

  collector_init (&collector);
  stream = new_stream (fixture->dialect, &collector);

  for (gsize start = 0; start < len;)
    {
      gsize end = start + MIN (step, len - start);

      if (start < cut && cut < end)
        end = cut;
      epsimo_run_stream_feed (stream, fixture->input + start, end - start);
      start = end;
    }
  epsimo_run_stream_end (stream);

  g_assert_cmpuint (collector.n_ends, ==, 1);
  dump = g_string_free (g_steal_pointer (&collector.dump), FALSE);
  collector_clear (&collector);

  return dump;
}

static void
test_fixtures_whole (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *dump = NULL;

      g_test_message ("fixture %s", fixtures[f].name);
      dump = run_fixture (&fixtures[f], 0, G_MAXSIZE);
      g_assert_cmpstr (dump, ==, fixtures[f].expected);
    }
}

static void
test_fixtures_split (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      const Fixture *fixture = &fixtures[f];
      gsize len = strlen (fixture->input);
      g_autofree char *bytewise = NULL;

      g_test_message ("fixture %s", fixture->name);
      bytewise = run_fixture (fixture, 0, 1);
      g_assert_cmpstr (bytewise, ==, fixture->expected);

      for (gsize cut = 0; cut <= len; cut++)
        {
          g_autofree char *dump = run_fixture (fixture, cut, G_MAXSIZE);

          g_assert_cmpstr (dump, ==, fixture->expected);
        }

      for (gsize step = 2; step < 40; step++)
        {
          g_autofree char *dump = run_fixture (fixture, 0, step);

          g_assert_cmpstr (dump, ==, fixture->expected);
        }
    }
}

static void
test_live_cumulative_never_repeats (void)
{
  Collector collector;
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  static const char * const words[] = { "The ", "quick ", "br", "own ", "f" SMILE "x ", "jumps." };
  g_autoptr(GString) content = g_string_new (NULL);
  GString *joined;

  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);

  /* Cumulative content, with repeats and a step back in between. */
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      int previous = content->len;

      g_string_append (content, words[i]);
      for (guint repeat = 0; repeat < 2; repeat++)
        g_string_append_printf (input,
                                "event: messages\ndata: [{\"id\": \"m\","
                                " \"type\": \"AIMessageChunk\", \"content\": \"%s\"}]\n\n",
                                content->str);
      g_string_append_printf (input,
                              "event: messages\ndata: [{\"id\": \"m\","
                              " \"type\": \"AIMessageChunk\", \"content\": \"%.*s\"}]\n\n",
                              previous, content->str);
    }
  g_string_append_printf (input,
                          "event: messages\ndata: [{\"id\": \"m\", \"type\": \"ai\","
                          " \"content\": \"%s\"}]\n\n", content->str);

  for (gsize i = 0; i < input->len; i += 3)
    epsimo_run_stream_feed (stream, input->str + i, MIN (3, input->len - i));
  epsimo_run_stream_end (stream);

  joined = g_hash_table_lookup (collector.texts, "m");
  g_assert_nonnull (joined);
  g_assert_cmpstr (joined->str, ==, content->str);
  g_assert_cmpuint (collector.n_events, ==, G_N_ELEMENTS (words) + 1);

  collector_clear (&collector);
}

static void
test_live_fixture_texts (void)
{
  Collector collector;
  g_autoptr(EpsimoRunStream) stream = NULL;

  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);
  epsimo_run_stream_feed (stream, live_stream, strlen (live_stream));

  g_assert_cmpstr (((GString *)g_hash_table_lookup (collector.texts, "m1"))->str, ==,
                   "Let me check " SUN " now.");
  g_assert_cmpstr (((GString *)g_hash_table_lookup (collector.texts, "m2"))->str, ==,
                   "It is sunny.");
  g_assert_false (g_hash_table_contains (collector.texts, "old"));

  collector_clear (&collector);
}

static void
test_unref_in_handler (void)
{
  Collector collector;
  EpsimoRunStream *stream;

  collector_init (&collector);
  collector.unref_on_end = TRUE;
  stream = new_stream (EPSIMO_DIALECT_REFERENCE, &collector);
  g_object_add_weak_pointer (G_OBJECT (stream), (gpointer *)&stream);
  epsimo_run_stream_feed (stream, reference_stream, strlen (reference_stream));
  g_assert_null (stream);
  g_assert_cmpstr (collector.dump->str, ==, reference_expected);

  collector_clear (&collector);
}

static void
test_large_in_small_chunks (void)
{
  Collector collector;
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  gsize text_len = 0;
  gint64 start;
  double seconds;

  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_REFERENCE, &collector);

  while (input->len < 1024 * 1024)
    {
      g_string_append (input,
                       "data: {\"type\": \"content\", \"delta\": \"h\xC3\xA9llo " SMILE "\"}\n\n");
      text_len += strlen ("h\xC3\xA9llo " SMILE);
    }
  g_string_append (input, "data: {\"type\": \"done\"}\n\n");

  start = g_get_monotonic_time ();
  for (gsize i = 0; i < input->len; i += 21)
    epsimo_run_stream_feed (stream, input->str + i, MIN (21, input->len - i));
  epsimo_run_stream_end (stream);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;

  g_test_message ("%zu bytes in 21-byte chunks: %.3f s", input->len, seconds);
  g_assert_cmpuint (((GString *)g_hash_table_lookup (collector.texts, "-"))->len, ==, text_len);
  g_assert_cmpuint (collector.n_ends, ==, 1);
  g_assert_cmpfloat (seconds, <, 5.0 * time_scale ());

  collector_clear (&collector);
}

/* Long cumulative content takes a fast path (only what follows the last content is
 * decoded): what comes out is the same, escapes, surrogate pairs, repeats, steps back,
 * values that are no continuation, and the tool calls beside the text included. */
static void
append_fragments (GString  *raw,
                  GString  *text,
                  gsize     at_least)
{
  static const char * const fragments[][2] = {
    { "Line one\\nLine \\\"two\\\" \\\\ back ", "Line one\nLine \"two\" \\ back " },
    { "caf\\u00e9 ", "caf\xC3\xA9 " },
    { "\\ud83d\\ude00 ", SMILE " " },
    { "h\xC3\xA9llo ", "h\xC3\xA9llo " },
    { "tab\\tend\\/slash\\r\\b\\f ", "tab\tend/slash\r\b\f " },
  };
  gsize target = raw->len + at_least;

  for (guint i = 0; raw->len < target; i++)
    {
      g_string_append (raw, fragments[i % G_N_ELEMENTS (fragments)][0]);
      g_string_append (text, fragments[i % G_N_ELEMENTS (fragments)][1]);
    }
}

static void
append_chunk_event (GString    *input,
                    const char *id,
                    const char *type,
                    const char *raw,
                    gsize       raw_len,
                    const char *extra)
{
  g_string_append_printf (input, "event: messages\ndata: [{\"id\": \"%s\", \"type\": \"%s\", "
                          "\"content\": \"", id, type);
  g_string_append_len (input, raw, raw_len);
  g_string_append_printf (input, "\"%s}]\n\n", extra);
}

static void
test_live_long_cumulative (void)
{
  Collector collector;
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) other_raw = g_string_new (NULL);
  g_autoptr(GString) other_text = g_string_new (NULL);
  g_autoptr(GString) expected_other = NULL;
  gsize first_len;
  gsize second_len;

  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);

  append_fragments (raw, text, 10000);
  first_len = raw->len;
  append_chunk_event (input, "m", "AIMessageChunk", raw->str, raw->len, "");
  append_fragments (raw, text, 300);
  second_len = raw->len;
  append_chunk_event (input, "m", "AIMessageChunk", raw->str, raw->len,
                      ", \"tool_call_chunks\": [{\"id\": \"c1\", \"name\": \"lookup\","
                      " \"args\": \"{\\\"q\\\": 1}\", \"index\": 0}]");
  /* A repeat and a step back bring nothing. */
  append_chunk_event (input, "m", "AIMessageChunk", raw->str, second_len, "");
  append_chunk_event (input, "m", "AIMessageChunk", raw->str, first_len, "");
  append_fragments (raw, text, 5000);
  append_chunk_event (input, "m", "AIMessageChunk", raw->str, raw->len, "");
  append_chunk_event (input, "m", "ai", raw->str, raw->len, "");

  /* Another message whose second value does not continue the first: taken whole. */
  append_fragments (other_raw, other_text, 9000);
  append_chunk_event (input, "n", "AIMessageChunk", other_raw->str, other_raw->len, "");
  expected_other = g_string_new (other_text->str);
  g_string_truncate (other_raw, 0);
  g_string_truncate (other_text, 0);
  g_string_append (other_raw, "Something else entirely. ");
  g_string_append (other_text, "Something else entirely. ");
  append_fragments (other_raw, other_text, 9000);
  append_chunk_event (input, "n", "AIMessageChunk", other_raw->str, other_raw->len, "");
  g_string_append (expected_other, other_text->str);
  g_string_append (input, "data: [DONE]\n\n");

  for (gsize i = 0; i < input->len; i += 777)
    epsimo_run_stream_feed (stream, input->str + i, MIN (777, input->len - i));

  g_assert_cmpuint (collector.n_ends, ==, 1);
  g_assert_cmpstr (((GString *) g_hash_table_lookup (collector.texts, "m"))->str, ==, text->str);
  g_assert_cmpstr (((GString *) g_hash_table_lookup (collector.texts, "n"))->str, ==,
                   expected_other->str);
  g_assert_nonnull (strstr (collector.dump->str, "CALL msg=m id=c1 name=lookup args={\"q\": 1}\n"));
  /* Three pieces of text for "m", two for "n", a call, DONE. */
  g_assert_cmpuint (collector.n_events, ==, 7);

  collector_clear (&collector);
}

/* A body that gives its bytes a few at a time, and may fail or go silent
 * after a given offset. */

G_DECLARE_FINAL_TYPE (TestStream, test_stream, TEST, STREAM, GInputStream)

struct _TestStream
{
  GInputStream  parent_instance;
  char         *data;
  gsize         len;
  gsize         pos;
  gsize         max_per_read;
  gssize        fail_at;
  gssize        hang_at;
  guint         reads;
  guint         cancelled_reads;
  gboolean      hanging;
};

G_DEFINE_FINAL_TYPE (TestStream, test_stream, G_TYPE_INPUT_STREAM)

static gssize
test_stream_read_now (TestStream  *self,
                      void        *buffer,
                      gsize        count,
                      GError     **error)
{
  gsize n = MIN (MIN (count, self->max_per_read), self->len - self->pos);

  if (self->fail_at >= 0)
    {
      if (self->pos >= (gsize)self->fail_at)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "Connection reset");
          return -1;
        }
      n = MIN (n, self->fail_at - self->pos);
    }
  if (self->hang_at >= 0)
    n = MIN (n, self->hang_at - self->pos);

  memcpy (buffer, self->data + self->pos, n);
  self->pos += n;

  return n;
}

static gssize
test_stream_read (GInputStream  *stream,
                  void          *buffer,
                  gsize          count,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return test_stream_read_now ((TestStream *)stream, buffer, count, error);
}

static gboolean
hang_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  TestStream *self = g_task_get_source_object (task);

  self->cancelled_reads++;
  self->hanging = FALSE;
  g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

static void
test_stream_read_async (GInputStream        *stream,
                        void                *buffer,
                        gsize                count,
                        int                  io_priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  TestStream *self = (TestStream *)stream;
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  gssize n;

  self->reads++;

  if (self->hang_at >= 0 && self->pos >= (gsize)self->hang_at)
    {
      GSource *source;

      /* Never answers; only a cancellation ends the read. */
      g_assert_nonnull (cancellable);
      self->hanging = TRUE;
      source = g_cancellable_source_new (cancellable);
      g_source_set_callback (source, G_SOURCE_FUNC (hang_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (source, NULL);
      g_source_unref (source);
      return;
    }

  n = test_stream_read_now (self, buffer, count, &error);
  if (n < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, n);
}

static gssize
test_stream_read_finish (GInputStream  *stream,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
test_stream_finalize (GObject *object)
{
  g_free (((TestStream *)object)->data);

  G_OBJECT_CLASS (test_stream_parent_class)->finalize (object);
}

static void
test_stream_class_init (TestStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_stream_finalize;
  stream_class->read_fn = test_stream_read;
  stream_class->read_async = test_stream_read_async;
  stream_class->read_finish = test_stream_read_finish;
}

static void
test_stream_init (TestStream *self)
{
  self->fail_at = -1;
  self->hang_at = -1;
  self->max_per_read = G_MAXSIZE;
}

static TestStream *
test_stream_new (const char *data,
                 gsize       max_per_read)
{
  TestStream *self = g_object_new (test_stream_get_type (), NULL);

  self->data = g_strdup (data);
  self->len = strlen (data);
  self->max_per_read = max_per_read;

  return self;
}

/* The offset just after the @n-th blank line of @stream. */
static gssize
offset_after_event (const char *stream,
                    guint       n)
{
  const char *p = stream;

  for (guint i = 0; i < n; i++)
    {
      p = strstr (p, "\n\n");
      g_assert_nonnull (p);
      p += 2;
    }

  return p - stream;
}

/* Reading */

typedef struct
{
  gboolean  done;
  guint     calls;
  gboolean  result;
  GError   *error;
} ReadResult;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReadResult *read = user_data;

  read->calls++;
  read->done = TRUE;
  read->result = epsimo_run_stream_read_finish (EPSIMO_RUN_STREAM (object), result, &read->error);
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
fail_timeout (gpointer user_data)
{
  g_error ("test timed out");
  return G_SOURCE_REMOVE;
}

static void
run_until (gboolean *flag)
{
  guint guard = g_timeout_add_seconds (20, fail_timeout, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
}

static void
spin_main_loop (guint ms)
{
  gboolean elapsed = FALSE;

  g_timeout_add (ms, set_flag, &elapsed);
  run_until (&elapsed);
}

static void
test_read_memory_stream (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      const Fixture *fixture = &fixtures[f];
      g_autoptr(GInputStream) body = NULL;
      g_autoptr(EpsimoRunStream) stream = NULL;
      ReadResult read = { 0 };
      Collector collector;

      g_test_message ("fixture %s", fixture->name);
      collector_init (&collector);
      stream = new_stream (fixture->dialect, &collector);
      body = g_memory_input_stream_new_from_data (fixture->input, strlen (fixture->input), NULL);

      epsimo_run_stream_read_async (stream, body, NULL, read_cb, &read);
      g_assert_false (read.done);
      run_until (&read.done);

      g_assert_cmpstr (collector.dump->str, ==, fixture->expected);
      g_assert_cmpuint (read.calls, ==, 1);
      if (g_str_has_suffix (fixture->expected, "DONE\n"))
        {
          g_assert_no_error (read.error);
          g_assert_true (read.result);
        }
      else
        {
          g_assert_error (read.error, EPSIMO_API_ERROR, read.error->code);
          g_assert_false (read.result);
          g_clear_error (&read.error);
        }

      collector_clear (&collector);
    }
}

static void
test_read_trickle (void)
{
  static const Fixture *trickled[] = { &fixtures[0], &fixtures[2], &fixtures[4] };

  /* Small reads: chunks cut lines, line ends and characters. */
  for (guint f = 0; f < G_N_ELEMENTS (trickled); f++)
    for (gsize per_read = 1; per_read <= 13; per_read += 4)
      {
        g_autoptr(TestStream) body = test_stream_new (trickled[f]->input, per_read);
        g_autoptr(EpsimoRunStream) stream = NULL;
        ReadResult read = { 0 };
        Collector collector;

        collector_init (&collector);
        stream = new_stream (trickled[f]->dialect, &collector);
        epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), NULL, read_cb, &read);
        run_until (&read.done);

        g_assert_no_error (read.error);
        g_assert_true (read.result);
        g_assert_cmpstr (collector.dump->str, ==, trickled[f]->expected);
        collector_clear (&collector);
      }
}

static void
test_read_stops_at_done (void)
{
  g_autoptr(TestStream) body = NULL;
  g_autoptr(EpsimoRunStream) stream = NULL;
  g_autofree char *input = NULL;
  ReadResult read = { 0 };
  Collector collector;

  /* After "done" the server may keep the connection open: no need to wait. */
  input = g_strconcat (reference_stream, "data: {\"type\": \"content\"}\n\n", NULL);
  body = test_stream_new (input, 64);
  body->hang_at = strlen (reference_stream);
  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_REFERENCE, &collector);
  epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), NULL, read_cb, &read);
  run_until (&read.done);

  g_assert_no_error (read.error);
  g_assert_true (read.result);
  g_assert_cmpstr (collector.dump->str, ==, reference_expected);
  g_assert_false (body->hanging);

  /* A second read of a finished stream gives the same outcome at once. */
  read.done = FALSE;
  epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), NULL, read_cb, &read);
  run_until (&read.done);
  g_assert_no_error (read.error);
  g_assert_true (read.result);
  g_assert_cmpuint (read.calls, ==, 2);

  collector_clear (&collector);
}

static void
test_read_connection_lost (void)
{
  g_autoptr(TestStream) body = test_stream_new (reference_stream, 10);
  g_autoptr(EpsimoRunStream) stream = NULL;
  ReadResult read = { 0 };
  Collector collector;

  /* Cut in the middle of the fourth event. */
  body->fail_at = offset_after_event (reference_stream, 4) + 20;
  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_REFERENCE, &collector);
  epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), NULL, read_cb, &read);
  run_until (&read.done);

  g_assert_cmpstr (collector.dump->str, ==,
                   "STARTED run=run_123\n"
                   "TEXT msg=- text=Your\n"
                   "TEXT msg=- text= order \xC3\xA9 " SMILE "\n"
                   "ERROR NETWORK message=The connection was lost before the reply was complete"
                   " status=0 detail=Connection reset\n");
  g_assert_error (read.error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  g_assert_cmpstr (read.error->message, ==,
                   "The connection was lost before the reply was complete");
  g_assert_cmpstr (epsimo_api_error_get_detail (read.error), ==, "Connection reset");
  g_assert_false (read.result);
  g_clear_error (&read.error);

  collector_clear (&collector);
}

static void
test_read_idle_timeout (void)
{
  g_autoptr(TestStream) body = test_stream_new (live_stream, 7);
  g_autoptr(EpsimoRunStream) stream = NULL;
  ReadResult read = { 0 };
  Collector collector;
  gint64 start;
  double seconds;
  guint timeout;

  body->hang_at = offset_after_event (live_stream, 3);
  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);

  g_assert_cmpuint (epsimo_run_stream_get_idle_timeout (stream), ==, 60);
  g_object_set (stream, "idle-timeout", 1, NULL);
  g_object_get (stream, "idle-timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 1);

  start = g_get_monotonic_time ();
  epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), NULL, read_cb, &read);
  run_until (&read.done);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;

  g_assert_cmpstr (collector.dump->str, ==,
                   "STARTED run=run-1\n"
                   "TEXT msg=m1 text=Let me \n"
                   "ERROR NETWORK message=The server stopped responding status=0 detail=-\n");
  g_assert_error (read.error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK);
  g_assert_false (read.result);
  g_clear_error (&read.error);
  g_assert_cmpfloat (seconds, >=, 0.9);
  g_assert_cmpfloat (seconds, <, 10.0 * time_scale ());

  /* The silent read was cancelled, not left behind. */
  g_assert_cmpuint (body->cancelled_reads, ==, 1);
  g_assert_false (body->hanging);

  spin_main_loop (50);
  g_assert_cmpuint (collector.n_events, ==, 3);
  g_assert_cmpuint (read.calls, ==, 1);

  collector_clear (&collector);
}

static void
test_read_no_idle_timeout (void)
{
  g_autoptr(TestStream) body = test_stream_new (live_stream, 64);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EpsimoRunStream) stream = NULL;
  ReadResult read = { 0 };
  Collector collector;

  /* 0 means wait for ever: only the cancellation ends this read. */
  body->hang_at = offset_after_event (live_stream, 1);
  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);
  epsimo_run_stream_set_idle_timeout (stream, 0);
  epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), cancellable, read_cb, &read);
  spin_main_loop (1300);
  g_assert_false (read.done);
  g_assert_true (body->hanging);

  g_cancellable_cancel (cancellable);
  run_until (&read.done);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&read.error);
  g_assert_cmpstr (collector.dump->str, ==, "STARTED run=run-1\n");

  collector_clear (&collector);
}

typedef enum
{
  CANCEL_THEN_UNREF,
  UNREF_THEN_CANCEL,
} CancelOrder;

static void
cancel_pending_read (CancelOrder order)
{
  g_autoptr(TestStream) body = test_stream_new (live_stream, 16);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  EpsimoRunStream *stream;
  ReadResult read = { 0 };
  Collector collector;
  guint reads, events;

  body->hang_at = offset_after_event (live_stream, 3);
  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);
  g_object_add_weak_pointer (G_OBJECT (stream), (gpointer *)&stream);

  epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), cancellable, read_cb, &read);
  while (!body->hanging)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (collector.dump->str, ==, "STARTED run=run-1\nTEXT msg=m1 text=Let me \n");

  /* The owner goes away with a read pending. */
  if (order == CANCEL_THEN_UNREF)
    {
      g_cancellable_cancel (cancellable);
      g_object_unref (stream);
    }
  else
    {
      g_object_unref (stream);
      g_cancellable_cancel (cancellable);
    }

  /* The operation holds the stream until the read has come back. */
  g_assert_nonnull (stream);
  reads = body->reads;
  events = collector.n_events;
  g_assert_false (read.done);

  spin_main_loop (100);
  g_assert_true (read.done);
  g_assert_cmpuint (read.calls, ==, 1);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&read.error);
  g_assert_false (read.result);
  g_assert_null (stream);
  g_assert_cmpuint (collector.n_events, ==, events);
  /* The body was not read again after the cancellation. */
  g_assert_cmpuint (body->reads, ==, reads);
  g_assert_cmpuint (body->cancelled_reads, ==, 1);

  collector_clear (&collector);
}

static void
test_cancel_then_unref (void)
{
  cancel_pending_read (CANCEL_THEN_UNREF);
}

static void
test_unref_then_cancel (void)
{
  cancel_pending_read (UNREF_THEN_CANCEL);
}

static void
test_cancel_memory_stream (void)
{
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  EpsimoRunStream *stream;
  ReadResult read = { 0 };
  Collector collector;

  /* Cancelled in the same main loop iteration as started, then dropped: the
   * read may already hold bytes, but none of them is parsed. */
  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_REFERENCE, &collector);
  g_object_add_weak_pointer (G_OBJECT (stream), (gpointer *)&stream);
  body = g_memory_input_stream_new_from_data (reference_stream, strlen (reference_stream), NULL);
  epsimo_run_stream_read_async (stream, body, cancellable, read_cb, &read);
  g_cancellable_cancel (cancellable);
  g_object_unref (stream);

  spin_main_loop (50);
  g_assert_true (read.done);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&read.error);
  g_assert_null (stream);
  g_assert_cmpuint (collector.n_events, ==, 0);

  collector_clear (&collector);
}

static void
test_cancel_in_handler (void)
{
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EpsimoRunStream) stream = NULL;
  ReadResult read = { 0 };
  Collector collector;

  /* The whole body is one chunk: the events after the cancelling one in it
   * must not be emitted. */
  collector_init (&collector);
  collector.cancel_on_text = cancellable;
  stream = new_stream (EPSIMO_DIALECT_REFERENCE, &collector);
  body = g_memory_input_stream_new_from_data (reference_stream, strlen (reference_stream), NULL);
  epsimo_run_stream_read_async (stream, body, cancellable, read_cb, &read);
  run_until (&read.done);

  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&read.error);
  g_assert_cmpstr (collector.dump->str, ==, "STARTED run=run_123\nTEXT msg=- text=Your\n");

  /* A cancelled stream stays silent. */
  epsimo_run_stream_feed (stream, "data: {\"type\": \"done\"}\n\n", 25);
  epsimo_run_stream_end (stream);
  g_assert_cmpuint (collector.n_events, ==, 2);

  collector_clear (&collector);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EpsimoRunStream) stream = NULL;
  ReadResult read = { 0 };
  Collector collector;

  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);
  body = g_memory_input_stream_new_from_data (live_stream, strlen (live_stream), NULL);
  g_cancellable_cancel (cancellable);
  epsimo_run_stream_read_async (stream, body, cancellable, read_cb, &read);
  run_until (&read.done);

  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&read.error);
  g_assert_cmpuint (collector.n_events, ==, 0);

  collector_clear (&collector);
}

static void
test_read_twice (void)
{
  g_autoptr(TestStream) body = test_stream_new (live_stream, 16);
  g_autoptr(GInputStream) other = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EpsimoRunStream) stream = NULL;
  ReadResult read = { 0 };
  ReadResult second = { 0 };
  Collector collector;

  body->hang_at = offset_after_event (live_stream, 1);
  collector_init (&collector);
  stream = new_stream (EPSIMO_DIALECT_LIVE, &collector);
  other = g_memory_input_stream_new ();
  epsimo_run_stream_read_async (stream, G_INPUT_STREAM (body), cancellable, read_cb, &read);
  epsimo_run_stream_read_async (stream, other, NULL, read_cb, &second);
  run_until (&second.done);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&second.error);
  g_assert_false (read.done);

  g_cancellable_cancel (cancellable);
  run_until (&read.done);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&read.error);

  collector_clear (&collector);
}

static void
test_event_boxed (void)
{
  EpsimoRunEvent *event = epsimo_run_event_new (EPSIMO_RUN_EVENT_STATE);
  EpsimoRunEvent *copy;
  GEnumClass *kinds = g_type_class_ref (EPSIMO_TYPE_RUN_EVENT_KIND);

  event->values = json_object_new ();
  event->text = g_strdup ("x");
  copy = g_boxed_copy (EPSIMO_TYPE_RUN_EVENT, event);
  g_assert_true (copy == event);
  epsimo_run_event_unref (event);
  g_assert_cmpstr (copy->text, ==, "x");
  g_boxed_free (EPSIMO_TYPE_RUN_EVENT, copy);

  g_assert_cmpstr (g_enum_get_value (kinds, EPSIMO_RUN_EVENT_TEXT_DELTA)->value_nick, ==,
                   "text-delta");
  g_type_class_unref (kinds);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/run-stream/event-boxed", test_event_boxed);
  g_test_add_func ("/run-stream/fixtures/whole", test_fixtures_whole);
  g_test_add_func ("/run-stream/fixtures/split", test_fixtures_split);
  g_test_add_func ("/run-stream/live/cumulative-never-repeats",
                   test_live_cumulative_never_repeats);
  g_test_add_func ("/run-stream/live/fixture-texts", test_live_fixture_texts);
  g_test_add_func ("/run-stream/live/long-cumulative", test_live_long_cumulative);
  g_test_add_func ("/run-stream/unref-in-handler", test_unref_in_handler);
  g_test_add_func ("/run-stream/large-in-small-chunks", test_large_in_small_chunks);
  g_test_add_func ("/run-stream/read/memory-stream", test_read_memory_stream);
  g_test_add_func ("/run-stream/read/trickle", test_read_trickle);
  g_test_add_func ("/run-stream/read/stops-at-done", test_read_stops_at_done);
  g_test_add_func ("/run-stream/read/connection-lost", test_read_connection_lost);
  g_test_add_func ("/run-stream/read/idle-timeout", test_read_idle_timeout);
  g_test_add_func ("/run-stream/read/no-idle-timeout", test_read_no_idle_timeout);
  g_test_add_func ("/run-stream/read/twice", test_read_twice);
  g_test_add_func ("/run-stream/cancel/then-unref", test_cancel_then_unref);
  g_test_add_func ("/run-stream/cancel/unref-then-cancel", test_unref_then_cancel);
  g_test_add_func ("/run-stream/cancel/memory-stream", test_cancel_memory_stream);
  g_test_add_func ("/run-stream/cancel/in-handler", test_cancel_in_handler);
  g_test_add_func ("/run-stream/cancel/before-start", test_cancel_before_start);

  return g_test_run ();
}
