/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sse-parser"

#include "config.h"

#include <string.h>

#include "epsimo-sse-parser.h"

/* Each event as "type|data|last-event-id\n". */
/* `build-aux/dev test --sanitize` and `build-aux/dev valgrind` run the programs many times
 * slower: they set EPSIMO_TEST_TIME_SCALE, and every wall-clock bound grows by it. */
static double
time_scale (void)
{
  const char *scale = g_getenv ("EPSIMO_TEST_TIME_SCALE");

  return scale != NULL ? MAX (g_ascii_strtod (scale, NULL), 1.0) : 1.0;
}

static void
on_event (EpsimoSseParser *parser,
          const char      *event_type,
          const char      *data,
          const char      *last_event_id,
          GString         *dump)
{
  g_assert_true (g_utf8_validate (event_type, -1, NULL));
  g_assert_true (g_utf8_validate (data, -1, NULL));
  g_assert_true (g_utf8_validate (last_event_id, -1, NULL));
  g_string_append_printf (dump, "%s|%s|%s\n", event_type, data, last_event_id);
}

static EpsimoSseParser *
new_parser (GString *dump)
{
  EpsimoSseParser *parser = epsimo_sse_parser_new ();

  g_signal_connect (parser, "event", G_CALLBACK (on_event), dump);
  return parser;
}

/* Feeds @input cut at each offset of @cuts (ascending), then ends. */
static char *
parse_with_cuts (const char  *input,
                 gsize        len,
                 const gsize *cuts,
                 guint        n_cuts)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(EpsimoSseParser) parser = new_parser (dump);
  gsize start = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;

      epsimo_sse_parser_feed (parser, input + start, end - start);
      start = end;
    }
  epsimo_sse_parser_end (parser);

  return g_string_free (dump, FALSE);
}

static char *
parse_whole (const char *input,
             gsize       len)
{
  return parse_with_cuts (input, len, NULL, 0);
}

static char *
parse_bytewise (const char *input,
                gsize       len)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(EpsimoSseParser) parser = new_parser (dump);

  for (gsize i = 0; i < len; i++)
    epsimo_sse_parser_feed (parser, input + i, 1);
  epsimo_sse_parser_end (parser);

  return g_string_free (dump, FALSE);
}

typedef struct
{
  const char *name;
  const char *input;
  gsize       len;       /* 0: strlen (input) */
  const char *expected;
} Fixture;

#define SMILE "\xF0\x9F\x98\x80"           /* U+1F600, four bytes */
#define FFFD  "\xEF\xBF\xBD"
#define ID_WITH_NUL "id: 5\ndata: a\n\nid: 6\0x\ndata: b\n\n"

/* Feeds a string literal, NUL bytes inside it included. */
#define FEED(parser, literal) epsimo_sse_parser_feed ((parser), (literal), sizeof (literal) - 1)

static const Fixture fixtures[] = {
  { "basic", "data: hello\n\n", 0, "message|hello|\n" },
  { "event-type", "event: foo\ndata: bar\n\ndata: baz\n\n", 0,
    "foo|bar|\nmessage|baz|\n" },
  { "multi-line-data", "data: a\ndata: b\ndata\ndata:\n\n", 0, "message|a\nb\n\n|\n" },
  { "one-space-only", "data:  two\ndata:none\ndata:\t tab\n\n", 0,
    "message| two\nnone\n\t tab|\n" },
  { "colon-in-value", "data: a: b:c\n\n", 0, "message|a: b:c|\n" },
  { "line-endings", "data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\ndata: e\r\r\n", 0,
    "message|a|\nmessage|b|\nmessage|c|\nmessage|d\ne|\n" },
  { "cr-then-lf-is-one", "data: x\r\ndata: y\r\n\r\n", 0, "message|x\ny|\n" },
  { "comments", ": keep-alive\n\n:\ndata: x\n: comment\ndata: y\n\n", 0, "message|x\ny|\n" },
  { "unknown-fields", "foo: bar\ndata: x\nData: y\ndata : z\nretry: 10\n\n", 0, "message|x|\n" },
  { "field-without-colon", "event\ndata\n\nevent: e\nevent\ndata: 1\n\n", 0,
    "message||\nmessage|1|\n" },
  { "ids", "id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 7\n\ndata: d\n\n", 0,
    "message|a|1\nmessage|b|1\nmessage|c|\nmessage|d|7\n" },
  { "id-with-nul", ID_WITH_NUL, sizeof (ID_WITH_NUL) - 1,
    "message|a|5\nmessage|b|5\n" },
  { "empty-data-no-event", "event: foo\n\n\n\nid: 3\n\ndata: x\n\n", 0, "message|x|3\n" },
  { "empty-data-line-is-event", "data:\n\n", 0, "message||\n" },
  { "event-type-resets", "event: a\ndata: 1\n\ndata: 2\n\n", 0, "a|1|\nmessage|2|\n" },
  { "last-event-type-wins", "event: a\nevent: b\ndata: 1\n\n", 0, "b|1|\n" },
  { "bom", "\xEF\xBB\xBF" "data: bom\n\n", 0, "message|bom|\n" },
  { "only-first-bom", "\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\ndata: y\n\n", 0, "message|y|\n" },
  { "bom-not-at-start", "data: \xEF\xBB\xBFx\n\n", 0, "message|\xEF\xBB\xBFx|\n" },
  { "utf8", "data: \xC3\xA9 \xE2\x82\xAC " SMILE "\n\n", 0,
    "message|\xC3\xA9 \xE2\x82\xAC " SMILE "|\n" },
  { "invalid-utf8", "data: a\xFF" "b\xC3(\xE2\x82z\xC0\xAF\xED\xA0\x80\xF0\x9F\x98\n\n", 0,
    "message|a" FFFD "b" FFFD "(" FFFD "z" FFFD FFFD FFFD FFFD FFFD FFFD "|\n" },
  { "truncated-char-before-line-end", "data: \xE2\x82\r\ndata: ok\n\n", 0,
    "message|" FFFD "\nok|\n" },
  { "unterminated-event-dropped", "data: a\n\ndata: b\n", 0, "message|a|\n" },
  { "unterminated-line-dropped", "data: a\n\ndata: b", 0, "message|a|\n" },
  { "leading-blank-lines", "\n\r\n\rdata: x\n\n", 0, "message|x|\n" },
  { "json", "event: messages\ndata: [{\"id\": \"m1\",\ndata:  \"content\": \"Hi\"}]\n\n", 0,
    "messages|[{\"id\": \"m1\",\n \"content\": \"Hi\"}]|\n" },
};

static gsize
fixture_len (const Fixture *fixture)
{
  return fixture->len != 0 ? fixture->len : strlen (fixture->input);
}

static void
test_fixtures_whole (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *dump = parse_whole (fixtures[f].input, fixture_len (&fixtures[f]));

      g_test_message ("fixture %s", fixtures[f].name);
      g_assert_cmpstr (dump, ==, fixtures[f].expected);
    }
}

static void
test_fixtures_split (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      const Fixture *fixture = &fixtures[f];
      gsize len = fixture_len (fixture);
      g_autofree char *bytewise = parse_bytewise (fixture->input, len);

      g_test_message ("fixture %s", fixture->name);
      g_assert_cmpstr (bytewise, ==, fixture->expected);

      for (gsize i = 0; i <= len; i++)
        {
          g_autofree char *dump = parse_with_cuts (fixture->input, len, &i, 1);

          g_assert_cmpstr (dump, ==, fixture->expected);
        }

      /* Every pair of cuts, too: a CR LF or a character split three ways. */
      for (gsize i = 0; i <= len; i++)
        for (gsize j = i; j <= len; j++)
          {
            gsize cuts[] = { i, j };
            g_autofree char *dump = parse_with_cuts (fixture->input, len, cuts, 2);

            g_assert_cmpstr (dump, ==, fixture->expected);
          }
    }
}

static void
test_cr_lf_across_feeds (void)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(EpsimoSseParser) parser = new_parser (dump);

  /* CR at the end of one chunk, LF at the start of the next: one line end. */
  FEED (parser, "data: a\r");
  FEED (parser, "\n");
  g_assert_cmpstr (dump->str, ==, "");
  FEED (parser, "\r");
  g_assert_cmpstr (dump->str, ==, "message|a|\n");
  FEED (parser, "\n");
  FEED (parser, "data: b\r");
  FEED (parser, "\r");
  g_assert_cmpstr (dump->str, ==, "message|a|\nmessage|b|\n");

  /* An empty feed keeps the pending CR. */
  FEED (parser, "data: c\r");
  FEED (parser, "");
  epsimo_sse_parser_feed (parser, NULL, 0);
  FEED (parser, "\n\n");
  g_assert_cmpstr (dump->str, ==, "message|a|\nmessage|b|\nmessage|c|\n");

  g_string_free (dump, TRUE);
}

static void
test_bom_split (void)
{
  static const char input[] = "\xEF\xBB\xBF" "data: x\n\n";

  for (gsize i = 0; i <= 3; i++)
    for (gsize j = i; j <= 3; j++)
      {
        gsize cuts[] = { i, j };
        g_autofree char *dump = parse_with_cuts (input, strlen (input), cuts, 2);

        g_assert_cmpstr (dump, ==, "message|x|\n");
      }

  /* A BOM cut short is an invalid sequence, not a BOM. */
  {
    g_autofree char *dump = parse_whole ("\xEF\xBB" "data: x\n\n\xEF\xBB\xBF", 14);

    g_assert_cmpstr (dump, ==, "");
  }
}

static void
test_bom_after_end (void)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(EpsimoSseParser) parser = new_parser (dump);

  /* end() readies the parser for a new stream, which may have its own BOM. */
  FEED (parser, "\xEF\xBB\xBF" "id: 1\ndata: a\n\n");
  epsimo_sse_parser_end (parser);
  FEED (parser, "\xEF\xBB");
  FEED (parser, "\xBF" "data: b\n\n");
  epsimo_sse_parser_end (parser);
  g_assert_cmpstr (dump->str, ==, "message|a|1\nmessage|b|1\n");
  g_assert_cmpstr (epsimo_sse_parser_get_last_event_id (parser), ==, "1");

  g_string_free (dump, TRUE);
}

static void
test_utf8_four_byte_split (void)
{
  static const char input[] = "data: <" SMILE ">\n\n";
  gsize start = strlen ("data: <");

  for (gsize i = start; i <= start + 4; i++)
    {
      g_autofree char *dump = parse_with_cuts (input, strlen (input), &i, 1);

      g_assert_cmpstr (dump, ==, "message|<" SMILE ">|\n");
    }

  /* Each byte of the character in its own feed. */
  {
    GString *dump = g_string_new (NULL);
    g_autoptr(EpsimoSseParser) parser = new_parser (dump);

    FEED (parser, "data: ");
    for (guint i = 0; i < 4; i++)
      epsimo_sse_parser_feed (parser, SMILE + i, 1);
    FEED (parser, "\n\n");
    g_assert_cmpstr (dump->str, ==, "message|" SMILE "|\n");
    g_string_free (dump, TRUE);
  }
}

static void
test_invalid_utf8 (void)
{
  struct {
    const char *input;
    const char *data;
  } cases[] = {
    { "\xFF", FFFD },
    { "\x80", FFFD },
    { "\xC3", FFFD },                     /* cut short by the line end */
    { "\xC3\xC3\xA9", FFFD "\xC3\xA9" },  /* the second lead byte starts over */
    { "\xE0\x80\x80", FFFD FFFD FFFD },   /* overlong */
    { "\xED\xA0\x80", FFFD FFFD FFFD },   /* surrogate */
    { "\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD },  /* above U+10FFFF */
    { "\xF0\x9F\x98", FFFD },             /* maximal subpart: one U+FFFD */
    { "\xF0\x9F\x98" "a", FFFD "a" },
    { "\xF8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD },
    { "\xEF\xBF\xBD", FFFD },             /* a real U+FFFD stays */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *input = g_strdup_printf ("data: %s\n\n", cases[c].input);
      g_autofree char *expected = g_strdup_printf ("message|%s|\n", cases[c].data);
      g_autofree char *whole = parse_whole (input, strlen (input));
      g_autofree char *bytewise = parse_bytewise (input, strlen (input));

      g_assert_cmpstr (whole, ==, expected);
      g_assert_cmpstr (bytewise, ==, expected);
    }

  /* Invalid bytes in a field name: not a known field. */
  {
    g_autofree char *dump = parse_whole ("da\xFF" "ta: x\n\n", 10);

    g_assert_cmpstr (dump, ==, "");
  }
}

static void
test_retry (void)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(EpsimoSseParser) parser = new_parser (dump);

  g_assert_cmpint (epsimo_sse_parser_get_retry (parser), ==, -1);

  /* retry applies at once, with no event. */
  FEED (parser, "retry: 1500\n");
  g_assert_cmpint (epsimo_sse_parser_get_retry (parser), ==, 1500);

  FEED (parser, "retry: 15a\nretry: -3\nretry:  20\nretry: \nretry\n");
  g_assert_cmpint (epsimo_sse_parser_get_retry (parser), ==, 1500);

  FEED (parser, "retry:2000\n");
  g_assert_cmpint (epsimo_sse_parser_get_retry (parser), ==, 2000);

  FEED (parser, "retry: 0\n");
  g_assert_cmpint (epsimo_sse_parser_get_retry (parser), ==, 0);

  FEED (parser, "retry: 99999999999999999999999999\n");
  g_assert_cmpint (epsimo_sse_parser_get_retry (parser), ==, G_MAXINT64);

  /* Split across feeds. */
  FEED (parser, "ret");
  FEED (parser, "ry: 3");
  FEED (parser, "00\r");
  g_assert_cmpint (epsimo_sse_parser_get_retry (parser), ==, 300);

  g_assert_cmpstr (dump->str, ==, "");
  g_string_free (dump, TRUE);
}

static void
test_last_event_id (void)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(EpsimoSseParser) parser = new_parser (dump);

  g_assert_cmpstr (epsimo_sse_parser_get_last_event_id (parser), ==, "");

  /* The id takes effect when the event ends, even an event with no data. */
  FEED (parser, "id: 42\n");
  g_assert_cmpstr (epsimo_sse_parser_get_last_event_id (parser), ==, "");
  FEED (parser, "\n");
  g_assert_cmpstr (epsimo_sse_parser_get_last_event_id (parser), ==, "42");
  g_assert_cmpstr (dump->str, ==, "");

  FEED (parser, "id: 4\0" "3\n\n");
  g_assert_cmpstr (epsimo_sse_parser_get_last_event_id (parser), ==, "42");

  FEED (parser, "id: \xC3\xA9\n\n");
  g_assert_cmpstr (epsimo_sse_parser_get_last_event_id (parser), ==, "\xC3\xA9");

  /* An unfinished event's id is dropped with it. */
  FEED (parser, "id: 99\ndata: x\n");
  epsimo_sse_parser_end (parser);
  g_assert_cmpstr (epsimo_sse_parser_get_last_event_id (parser), ==, "\xC3\xA9");
  g_assert_cmpstr (dump->str, ==, "");

  g_string_free (dump, TRUE);
}

static void
test_end_discards (void)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(EpsimoSseParser) parser = new_parser (dump);

  FEED (parser, "event: e\ndata: x\n");
  epsimo_sse_parser_end (parser);
  /* Nothing of the dropped event leaks into the next stream. */
  FEED (parser, "data: y\n\n");
  g_assert_cmpstr (dump->str, ==, "message|y|\n");

  /* Nor a pending CR or half a character. */
  FEED (parser, "data: z\r");
  epsimo_sse_parser_end (parser);
  FEED (parser, "\ndata: w\n\n");
  FEED (parser, "data: \xF0\x9F");
  epsimo_sse_parser_end (parser);
  FEED (parser, "\x98\x80\n\ndata: v\n\n");
  g_assert_cmpstr (dump->str, ==, "message|y|\nmessage|w|\nmessage|v|\n");

  g_string_free (dump, TRUE);
}

static void
count_event (EpsimoSseParser *parser,
             const char      *event_type,
             const char      *data,
             const char      *last_event_id,
             gsize           *total)
{
  *total += strlen (data) + 1;
}

static double
feed_in_chunks (const char *input,
                gsize       len,
                gsize       chunk,
                gsize      *total)
{
  g_autoptr(EpsimoSseParser) parser = epsimo_sse_parser_new ();
  gint64 start;

  g_signal_connect (parser, "event", G_CALLBACK (count_event), total);
  start = g_get_monotonic_time ();
  for (gsize i = 0; i < len; i += chunk)
    epsimo_sse_parser_feed (parser, input + i, MIN (chunk, len - i));
  epsimo_sse_parser_end (parser);

  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

static void
test_large_in_small_chunks (void)
{
  const gsize size = 1024 * 1024;
  const gsize chunk = size / 50000 + 1;
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GString) one = g_string_new ("data: ");
  gsize total = 0;
  double seconds;

  /* Many short events, with multi-byte characters cut by the chunks. */
  while (many->len < size)
    g_string_append (many, "data: {\"delta\": \"h\xC3\xA9llo " SMILE "\"}\r\n\r\n");
  seconds = feed_in_chunks (many->str, many->len, chunk, &total);
  g_test_message ("%zu bytes of events in %zu-byte chunks: %.3f s", many->len, chunk, seconds);
  g_assert_cmpuint (total, ==, many->len / 34 * 25);
  g_assert_cmpfloat (seconds, <, 2.0 * time_scale ());

  /* One event of one 1 MB line: buffered data must not be scanned again. */
  while (one->len < size)
    g_string_append (one, "0123456789abcdef");
  g_string_append (one, "\n\n");
  total = 0;
  seconds = feed_in_chunks (one->str, one->len, chunk, &total);
  g_test_message ("one %zu-byte line in %zu-byte chunks: %.3f s", one->len, chunk, seconds);
  g_assert_cmpuint (total, ==, one->len - strlen ("data: ") - 1);
  g_assert_cmpfloat (seconds, <, 2.0 * time_scale ());

  /* And many data lines of one event. */
  g_string_truncate (many, 0);
  while (many->len < size)
    g_string_append (many, "data: x\n");
  g_string_append (many, "\n");
  total = 0;
  seconds = feed_in_chunks (many->str, many->len, chunk, &total);
  g_assert_cmpuint (total, ==, (many->len - 1) / 8 * 2);
  g_assert_cmpfloat (seconds, <, 2.0 * time_scale ());
}

static void
unref_in_handler (EpsimoSseParser *parser,
                  const char      *event_type,
                  const char      *data,
                  const char      *last_event_id,
                  guint           *count)
{
  if ((*count)++ == 0)
    g_object_unref (parser);
}

static void
test_unref_in_handler (void)
{
  EpsimoSseParser *parser = epsimo_sse_parser_new ();
  guint count = 0;

  g_signal_connect (parser, "event", G_CALLBACK (unref_in_handler), &count);
  g_object_add_weak_pointer (G_OBJECT (parser), (gpointer *)&parser);
  FEED (parser, "data: 1\n\ndata: 2\n\n");
  g_assert_cmpuint (count, ==, 2);
  g_assert_null (parser);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse-parser/fixtures/whole", test_fixtures_whole);
  g_test_add_func ("/sse-parser/fixtures/split", test_fixtures_split);
  g_test_add_func ("/sse-parser/cr-lf-across-feeds", test_cr_lf_across_feeds);
  g_test_add_func ("/sse-parser/bom-split", test_bom_split);
  g_test_add_func ("/sse-parser/bom-after-end", test_bom_after_end);
  g_test_add_func ("/sse-parser/utf8-four-byte-split", test_utf8_four_byte_split);
  g_test_add_func ("/sse-parser/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/sse-parser/retry", test_retry);
  g_test_add_func ("/sse-parser/last-event-id", test_last_event_id);
  g_test_add_func ("/sse-parser/end-discards", test_end_discards);
  g_test_add_func ("/sse-parser/large-in-small-chunks", test_large_in_small_chunks);
  g_test_add_func ("/sse-parser/unref-in-handler", test_unref_in_handler);

  return g_test_run ();
}
