/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-state-reader"

#include "config.h"

#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-state-reader.h"

/* The hand-written scanner of live thread states, fed every way a body can be cut: each
 * state below is read in pieces of every size from one byte to the whole, and must give
 * the same result each time. */

/* Strings that hold the scanner's own signs: brackets, braces, quotes, backslashes and a
 * "messages" key inside a message. */
#define TRICKY_MESSAGE(ID, TEXT) \
  "{\"id\":\"" ID "\",\"type\":\"human\",\"content\":\"" TEXT "\"," \
  "\"extra\":{\"messages\":[1,{\"]\":\"}\"}],\"q\":\"\\\"]}\"}}"

static const char *state_with_db_after =
  "{\"values\":{\"messages\":["
  TRICKY_MESSAGE ("m1", "first ] } [ {")
  "," TRICKY_MESSAGE ("m2", "second \\\\ \\\" end")
  "," TRICKY_MESSAGE ("m3", "third")
  "],\"prefs\":{\"list\":[1,2,{\"b\":\"}\"}],\"theme\":\"dark\"},"
  "\"count\" : 3 ,\"gone\":null,\"t\":true,\"s\":\"a\\\"b]\"},"
  "\"next\":[],\"metadata\":{\"values\":{\"messages\":[]}}}";

static const char *state_with_db_before =
  " { \"metadata\" : {\"values\": 1}, \"values\" : { \"first\" : [ [ ] , { } ] ,"
  " \"messages\" : [ " TRICKY_MESSAGE ("m1", "only") " ] , \"last\" : \"x\" } } ";

typedef EpsimoStateRead *(*Scan) (const char *text,
                                  gsize       piece,
                                  GError    **error);

static EpsimoStateRead *
scan_values (const char *text,
             gsize       piece,
             GError    **error)
{
  return epsimo_state_reader_scan_text (EPSIMO_STATE_READ_VALUES, 0, NULL, text, -1, piece,
                                        error);
}

static char *
values_text (EpsimoStateRead *read)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), read->values);

  return json_to_string (node, FALSE);
}

/* Every piece size gives @expected. */
static void
check_values (const char *text,
              const char *expected)
{
  for (gsize piece = 1; piece <= strlen (text); piece++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpsimoStateRead) read = scan_values (text, piece, &error);
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (read);
      got = values_text (read);
      if (g_strcmp0 (got, expected) != 0)
        g_error ("pieces of %" G_GSIZE_FORMAT ": %s, not %s", piece, got, expected);
    }
}

static void
test_values_skip_conversation (void)
{
  check_values (state_with_db_after,
                "{\"prefs\":{\"list\":[1,2,{\"b\":\"}\"}],\"theme\":\"dark\"},\"count\":3,"
                "\"gone\":null,\"t\":true,\"s\":\"a\\\"b]\"}");
  check_values (state_with_db_before, "{\"first\":[[],{}],\"last\":\"x\"}");
}

/* No database: no values, null values, the values as the conversation itself. */
static void
test_values_none (void)
{
  check_values ("{\"thread_id\":\"t\"}", "{}");
  check_values ("{\"values\":null,\"next\":[]}", "{}");
  check_values ("{\"values\":[" TRICKY_MESSAGE ("m1", "x") "]}", "{}");
  check_values ("{\"values\":{}}", "{}");
  check_values ("{\"values\":{\"messages\":[]}}", "{}");
}

/* A body that is no thread state, or ends before what was asked for: a clear error at any
 * cut. (What follows the values is not read, so a body cut after them is not noticed.) */
static void
test_values_unreadable (void)
{
  const char *broken[] = {
    "[1,2]",
    "{\"values\":{\"messages\":[{\"id\":\"m1\"}]",
    "{\"values\":\"text\"}",
    "{\"values\":{\"a\":[1}}}",
    "{\"values\":{\"messages\":{}}}",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    for (gsize piece = 1; piece <= MAX (strlen (broken[i]), 1); piece++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(EpsimoStateRead) read = scan_values (broken[i], piece, &error);

        if (read != NULL)
          g_error ("«%s» in pieces of %" G_GSIZE_FORMAT " was read", broken[i], piece);
        g_assert_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL);
      }
}

/* The page of messages: the newest @limit before the cursor, nothing parsed but the
 * cursor; has more / how many before. */
static void
test_messages_page (void)
{
  for (gsize piece = 1; piece <= strlen (state_with_db_after); piece++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EpsimoStateRead) newest = NULL;
      g_autoptr(EpsimoStateRead) older = NULL;
      g_autoptr(EpsimoStateRead) gone = NULL;
      gsize size;
      const char *text;

      newest = epsimo_state_reader_scan_text (EPSIMO_STATE_READ_MESSAGES, 2, NULL,
                                              state_with_db_after, -1, piece, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (newest->messages->len, ==, 2);
      text = g_bytes_get_data (g_ptr_array_index (newest->messages, 0), &size);
      g_assert_true (g_str_has_prefix (text, "{\"id\":\"m2\""));
      g_assert_cmpint (text[size - 1], ==, '}');
      g_assert_true (newest->dropped);
      g_assert_cmpuint (newest->n_read, ==, 3);

      older = epsimo_state_reader_scan_text (EPSIMO_STATE_READ_MESSAGES, 5, "m3",
                                             state_with_db_after, -1, piece, &error);
      g_assert_no_error (error);
      g_assert_true (older->found_before);
      g_assert_false (older->dropped);
      g_assert_cmpuint (older->messages->len, ==, 2);
      g_assert_cmpuint (older->n_read, ==, 2);

      gone = epsimo_state_reader_scan_text (EPSIMO_STATE_READ_MESSAGES, 5, "m9",
                                            state_with_db_after, -1, piece, &error);
      g_assert_no_error (error);
      g_assert_false (gone->found_before);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/state-reader/values/skip-conversation", test_values_skip_conversation);
  g_test_add_func ("/state-reader/values/none", test_values_none);
  g_test_add_func ("/state-reader/values/unreadable", test_values_unreadable);
  g_test_add_func ("/state-reader/messages/page", test_messages_page);

  return g_test_run ();
}
