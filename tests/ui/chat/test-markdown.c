/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The markdown renderer and view: the block model, incremental rendering while a reply
 * streams, and the widgets a user sees (code blocks, links). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "epsimo-ui-test.h"
#include "widgets/epsimo-markdown-renderer.h"
#include "widgets/epsimo-markdown-view.h"

/* The test server's scripted reply (tests/server/epsimo-ts-script.c), plus a table,
 * a quote and a task list. */
static const char reply[] =
  "## Echo\n"
  "\n"
  "You said: *hello & <world>*\n"
  "\n"
  "This reply comes from `epsimo-test-server`, a *scripted* assistant: no model "
  "is involved, so every answer has the same shape and can be checked in tests.\n"
  "\n"
  "- the echo of your message\n"
  "- a list item with `code`\n"
  "  - nested\n"
  "- a third item, plain\n"
  "\n"
  "```python\n"
  "def echo(message):\n"
  "    \"\"\"Return what the user said.\"\"\"\n"
  "    return message.strip()\n"
  "```\n"
  "\n"
  "| Key | Value |\n"
  "|:----|------:|\n"
  "| color | **blue** |\n"
  "| size | 3 |\n"
  "\n"
  "> a quote with *emphasis*\n"
  "\n"
  "- [ ] to do\n"
  "- [x] done\n"
  "\n"
  "Read more in the [Epsimo documentation](https://epsimoagents.com/docs).\n";

static EpsimoMarkdownRenderer *
render (const char *text)
{
  EpsimoMarkdownRenderer *renderer = epsimo_markdown_renderer_new ();

  epsimo_markdown_renderer_set_text (renderer, text);
  return renderer;
}

static void
test_blocks (void)
{
  g_autoptr(EpsimoMarkdownRenderer) renderer = render (reply);
  EpsimoMarkdownBlock *block;

  g_assert_cmpuint (epsimo_markdown_renderer_get_n_blocks (renderer), ==, 9);

  block = epsimo_markdown_renderer_get_block (renderer, 0);
  g_assert_cmpint (epsimo_markdown_block_get_kind (block), ==, EPSIMO_MARKDOWN_BLOCK_HEADING);
  g_assert_cmpuint (epsimo_markdown_block_get_level (block), ==, 2);
  g_assert_cmpstr (epsimo_markdown_block_get_markup (block), ==, "Echo");

  /* Text is escaped, emphasis is markup. */
  block = epsimo_markdown_renderer_get_block (renderer, 1);
  g_assert_cmpint (epsimo_markdown_block_get_kind (block), ==, EPSIMO_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpstr (epsimo_markdown_block_get_markup (block), ==,
                   "You said: <i>hello &amp; &lt;world&gt;</i>");

  block = epsimo_markdown_renderer_get_block (renderer, 3);
  g_assert_cmpint (epsimo_markdown_block_get_kind (block), ==, EPSIMO_MARKDOWN_BLOCK_LIST);
  g_assert_cmpuint (epsimo_markdown_block_get_n_items (block), ==, 4);
  g_assert_cmpuint (epsimo_markdown_block_get_item_depth (block, 2), ==, 1);
  g_assert_cmpstr (epsimo_markdown_block_get_item_markup (block, 2), ==, "nested");
  g_assert_cmpstr (epsimo_markdown_block_get_item_marker (block, 0), ==, "•");

  block = epsimo_markdown_renderer_get_block (renderer, 4);
  g_assert_cmpint (epsimo_markdown_block_get_kind (block), ==, EPSIMO_MARKDOWN_BLOCK_CODE);
  g_assert_cmpstr (epsimo_markdown_block_get_language (block), ==, "python");
  g_assert_true (g_str_has_prefix (epsimo_markdown_block_get_code (block), "def echo(message):"));
  g_assert_true (g_str_has_suffix (epsimo_markdown_block_get_code (block), "message.strip()"));

  block = epsimo_markdown_renderer_get_block (renderer, 5);
  g_assert_cmpint (epsimo_markdown_block_get_kind (block), ==, EPSIMO_MARKDOWN_BLOCK_TABLE);
  g_assert_cmpuint (epsimo_markdown_block_get_n_columns (block), ==, 2);
  g_assert_cmpuint (epsimo_markdown_block_get_n_rows (block), ==, 3);
  g_assert_cmpuint (epsimo_markdown_block_get_n_header_rows (block), ==, 1);
  g_assert_cmpstr (epsimo_markdown_block_get_cell_markup (block, 1, 1), ==, "<b>blue</b>");
  g_assert_cmpfloat (epsimo_markdown_block_get_column_xalign (block, 1), ==, 1.0);

  block = epsimo_markdown_renderer_get_block (renderer, 6);
  g_assert_cmpint (epsimo_markdown_block_get_kind (block), ==, EPSIMO_MARKDOWN_BLOCK_QUOTE);
  g_assert_cmpstr (epsimo_markdown_block_get_markup (block), ==, "a quote with <i>emphasis</i>");

  block = epsimo_markdown_renderer_get_block (renderer, 7);
  g_assert_cmpstr (epsimo_markdown_block_get_item_marker (block, 0), ==, "☐");
  g_assert_cmpstr (epsimo_markdown_block_get_item_marker (block, 1), ==, "☑");

  block = epsimo_markdown_renderer_get_block (renderer, 8);
  g_assert_cmpstr (epsimo_markdown_block_get_markup (block), ==,
                   "Read more in the <a href=\"https://epsimoagents.com/docs\">Epsimo "
                   "documentation</a>.");
}

static void
test_unsafe_links (void)
{
  g_autoptr(EpsimoMarkdownRenderer) renderer =
    render ("[local](file:///etc/passwd) "
            "[site](https://example.test/?a=1&b=2 \"say \\\"hi\\\"\")\n");
  const char *markup =
    epsimo_markdown_block_get_markup (epsimo_markdown_renderer_get_block (renderer, 0));

  /* Only web and mail links become links; attributes stay valid markup. */
  g_assert_null (strstr (markup, "file:"));
  g_assert_nonnull (strstr (markup, "local"));
  g_assert_nonnull (strstr (markup, "<a href=\"https://example.test/?a=1&amp;b=2\" "
                                    "title=\"say &quot;hi&quot;\">site</a>"));
}

static void
assert_same_blocks (EpsimoMarkdownRenderer *a,
                    EpsimoMarkdownRenderer *b)
{
  g_assert_cmpuint (epsimo_markdown_renderer_get_n_blocks (a), ==,
                    epsimo_markdown_renderer_get_n_blocks (b));
  for (guint i = 0; i < epsimo_markdown_renderer_get_n_blocks (a); i++)
    g_assert_true (epsimo_markdown_block_equal (epsimo_markdown_renderer_get_block (a, i),
                                                epsimo_markdown_renderer_get_block (b, i)));
}

/* However the text is cut into deltas, the result is the one of the whole text. */
static void
test_incremental_same_as_whole (void)
{
  g_autoptr(EpsimoMarkdownRenderer) whole = render (reply);
  gsize len = strlen (reply);

  for (gsize piece = 1; piece <= 13; piece += 3)
    {
      g_autoptr(EpsimoMarkdownRenderer) streamed = epsimo_markdown_renderer_new ();

      for (gsize offset = 0; offset < len; offset += piece)
        {
          epsimo_markdown_renderer_append (streamed, reply + offset, MIN (piece, len - offset));
          epsimo_markdown_renderer_update (streamed);
        }
      assert_same_blocks (streamed, whole);
    }
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} Change;

static void
on_changed (EpsimoMarkdownRenderer *renderer,
            guint                   position,
            guint                   removed,
            guint                   added,
            Change                 *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->count++;
}

/* Appending to a long reply re-renders its last block only: the blocks before it stay the
 * same objects, and the change starts at the last block. */
static void
test_only_last_block_rerendered (void)
{
  g_autoptr(EpsimoMarkdownRenderer) renderer = epsimo_markdown_renderer_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  EpsimoMarkdownBlock *first;
  Change change = { 0 };
  guint n;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (text, "Paragraph %u with *some* words.\n\n", i);
  epsimo_markdown_renderer_append (renderer, text->str, text->len);
  epsimo_markdown_renderer_update (renderer);
  n = epsimo_markdown_renderer_get_n_blocks (renderer);
  g_assert_cmpuint (n, ==, 500);
  first = epsimo_markdown_renderer_get_block (renderer, 0);

  g_signal_connect (renderer, "changed", G_CALLBACK (on_changed), &change);
  epsimo_markdown_renderer_append (renderer, "The last one grows", -1);
  epsimo_markdown_renderer_update (renderer);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, 500);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 1);

  epsimo_markdown_renderer_append (renderer, " and grows", -1);
  epsimo_markdown_renderer_update (renderer);
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_cmpuint (change.position, ==, 500);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  g_assert_true (epsimo_markdown_renderer_get_block (renderer, 0) == first);
  g_assert_cmpstr (epsimo_markdown_block_get_markup (epsimo_markdown_renderer_get_block (renderer,
                                                                                        500)),
                   ==, "The last one grows and grows");
}

/* A paragraph with no blank line (a synthetic reply) is cut at line starts, so no label
 * holds the whole reply, and the cut is the same streamed or whole. */
static void
test_long_paragraph_split (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(EpsimoMarkdownRenderer) whole = NULL;
  g_autoptr(EpsimoMarkdownRenderer) streamed = epsimo_markdown_renderer_new ();

  for (guint i = 0; i < 400; i++)
    g_string_append (text, "The quick brown fox jumps over the lazy dog. Pack my box.\n");
  whole = render (text->str);
  g_assert_cmpuint (epsimo_markdown_renderer_get_n_blocks (whole), >, 5);
  g_assert_false (epsimo_markdown_block_get_continuation (
                    epsimo_markdown_renderer_get_block (whole, 0)));
  g_assert_true (epsimo_markdown_block_get_continuation (
                   epsimo_markdown_renderer_get_block (whole, 1)));

  for (gsize offset = 0; offset < text->len; offset += 7)
    {
      epsimo_markdown_renderer_append (streamed, text->str + offset, MIN (7, text->len - offset));
      epsimo_markdown_renderer_update (streamed);
    }
  assert_same_blocks (streamed, whole);
}

/* The view */

static GtkWidget *
window_with (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), child);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 600);
  gtk_window_present (GTK_WINDOW (window));
  epsimo_ui_test_spin (100);
  return window;
}

static GtkWidget *
nth_child (GtkWidget *widget,
           guint      n)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  for (guint i = 0; child != NULL && i < n; i++)
    child = gtk_widget_get_next_sibling (child);
  return child;
}

static char *
buffer_text (GtkWidget *text_view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Highlighting is set up once the code is on screen, from an idle callback. */
static gboolean
has_language (gpointer data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (data));

  return gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (buffer)) != NULL;
}

static void
test_view_widgets (void)
{
  GtkWidget *view = epsimo_markdown_view_new ();
  GtkWidget *window = window_with (view);
  GtkWidget *code_view;
  GtkWidget *copy;
  GtkWidget *link_label;
  GtkSourceLanguage *language;
  g_autofree char *code = NULL;
  g_autofree char *copied = NULL;

  epsimo_markdown_view_set_text (EPSIMO_MARKDOWN_VIEW (view), reply);
  epsimo_ui_test_spin (50);

  /* One widget per block. */
  g_assert_nonnull (nth_child (view, 8));
  g_assert_null (nth_child (view, 9));
  g_assert_true (GTK_IS_LABEL (nth_child (view, 0)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (view, 0))), ==, "Echo");

  /* The code block: highlighted source and a Copy button that copies it. */
  code_view = epsimo_ui_test_find_widget (nth_child (view, 4), GTK_SOURCE_TYPE_VIEW, NULL);
  g_assert_nonnull (code_view);
  code = buffer_text (code_view);
  g_assert_true (g_str_has_prefix (code, "def echo(message):"));
  g_assert_true (epsimo_ui_test_wait_for (has_language, code_view, 5000));
  language = gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (
    gtk_text_view_get_buffer (GTK_TEXT_VIEW (code_view))));
  g_assert_nonnull (language);
  g_assert_true (g_str_has_prefix (gtk_source_language_get_id (language), "python"));
  copy = epsimo_ui_test_find_widget (nth_child (view, 4), GTK_TYPE_BUTTON, NULL);
  g_assert_nonnull (copy);
  g_signal_emit_by_name (copy, "clicked");
  epsimo_ui_test_spin (50);
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (view);
    GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
    GValue value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    copied = g_value_dup_string (&value);
    g_value_unset (&value);
  }
  g_assert_cmpstr (copied, ==, code);

  /* The table is a grid; the link is a link. */
  g_assert_true (GTK_IS_GRID (nth_child (view, 5)));
  link_label = nth_child (view, 8);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (link_label)),
                            "<a href=\"https://epsimoagents.com/docs\">"));
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (link_label)));
  g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (link_label)), ==, PANGO_WRAP_WORD);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_children (gpointer data)
{
  return gtk_widget_get_first_child (GTK_WIDGET (data)) != NULL;
}

typedef struct
{
  GtkWidget *view;
  guint      n;
} ChildCount;

static gboolean
has_n_children (gpointer data)
{
  ChildCount *want = data;

  return epsimo_ui_test_count_children (want->view) == want->n;
}

/* The view shows every block of its renderer, which has nothing left to parse. */
static gboolean
caught_up (gpointer data)
{
  GtkWidget *view = data;
  EpsimoMarkdownRenderer *renderer;

  renderer = epsimo_markdown_view_get_renderer (EPSIMO_MARKDOWN_VIEW (view));

  return !epsimo_markdown_renderer_get_pending (renderer)
         && (epsimo_ui_test_count_children (view)
             == epsimo_markdown_renderer_get_n_blocks (renderer));
}

/* While text streams in, the widgets of finished blocks stay as they are and the view
 * catches up once per frame. */
static void
test_view_streaming (void)
{
  g_autoptr(EpsimoMarkdownRenderer) renderer = epsimo_markdown_renderer_new ();
  GtkWidget *view = epsimo_markdown_view_new ();
  GtkWidget *window = window_with (view);
  GtkWidget *first;
  GtkWidget *second;
  gsize len = strlen (reply);

  epsimo_markdown_view_set_renderer (EPSIMO_MARKDOWN_VIEW (view), renderer);
  epsimo_markdown_renderer_append (renderer, reply, 40);
  epsimo_ui_test_spin (50);
  first = nth_child (view, 0);
  g_assert_nonnull (first);
  second = nth_child (view, 1);

  for (gsize offset = 40; offset < len; offset += 5)
    {
      epsimo_markdown_renderer_append (renderer, reply + offset, MIN (5, len - offset));
      /* Many deltas between two frames are one update. */
      if (offset % 50 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (epsimo_markdown_renderer_get_pending (renderer));
  g_assert_true (epsimo_ui_test_wait_for (caught_up, view, 5000));

  g_assert_true (nth_child (view, 0) == first);
  g_assert_true (nth_child (view, 1) == second);
  g_assert_nonnull (nth_child (view, 8));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (view, 1))), ==,
                   "You said: hello & <world>");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Much text arriving at once while streaming (the short first events of a live reply) is
 * shown a few new blocks a frame, never all of it in one long frame, and all of it soon. */
static void
test_view_streaming_paced (void)
{
  g_autoptr(EpsimoMarkdownRenderer) renderer = epsimo_markdown_renderer_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *view = epsimo_markdown_view_new ();
  GtkWidget *window = window_with (view);
  ChildCount all = { view, 40 };

  epsimo_markdown_view_set_renderer (EPSIMO_MARKDOWN_VIEW (view), renderer);
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (text, "Paragraph %u of a reply that came in one piece.\n\n", i);
  epsimo_markdown_renderer_append (renderer, text->str, text->len);

  /* The first frame's update makes two of the forty block widgets. */
  g_assert_true (epsimo_ui_test_wait_for (has_children, view, 5000));
  g_assert_cmpuint (epsimo_ui_test_count_children (view), <=, 2);

  g_assert_true (epsimo_ui_test_wait_for (has_n_children, &all, 5000));
  g_assert_cmpuint (epsimo_markdown_renderer_get_n_blocks (renderer), ==, 40);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (nth_child (view, 39))), ==,
                   "Paragraph 39 of a reply that came in one piece.");

  /* Text set whole (a message shown, not streamed) is all there at once. */
  epsimo_markdown_view_set_text (EPSIMO_MARKDOWN_VIEW (view), text->str);
  g_assert_cmpuint (epsimo_ui_test_count_children (view), ==, 40);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A long code block shows its start until expanded. */
static void
test_view_collapsed_code (void)
{
  g_autoptr(GString) text = g_string_new ("```c\n");
  GtkWidget *view = epsimo_markdown_view_new ();
  GtkWidget *window = window_with (view);
  GtkWidget *code_view;
  GtkWidget *more;
  g_autofree char *shown = NULL;
  g_autofree char *all = NULL;

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text, "int line_%u = %u;\n", i, i);
  g_string_append (text, "```\n");
  epsimo_markdown_view_set_text (EPSIMO_MARKDOWN_VIEW (view), text->str);

  code_view = epsimo_ui_test_find_widget (view, GTK_SOURCE_TYPE_VIEW, NULL);
  shown = buffer_text (code_view);
  g_assert_nonnull (strstr (shown, "line_9 "));
  g_assert_null (strstr (shown, "line_10 "));

  more = epsimo_ui_test_find_widget (view, GTK_TYPE_BUTTON, "Show All 30 Lines");
  g_assert_nonnull (more);
  g_signal_emit_by_name (more, "clicked");
  all = buffer_text (code_view);
  g_assert_nonnull (strstr (all, "line_29 "));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* A link opens in the browser: a stand-in handler for https catches the address. */
static void
test_link_opens (void)
{
  const char *data_home = g_get_user_data_dir ();
  const char *config_home = g_get_user_config_dir ();
  g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
  g_autofree char *desktop = g_build_filename (applications, "epsimo-url-catcher.desktop", NULL);
  g_autofree char *caught = g_build_filename (g_get_tmp_dir (), "epsimo-md-caught-url", NULL);
  g_autofree char *caught_new = g_strconcat (caught, ".new", NULL);
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  g_autofree char *desktop_text = NULL;
  g_autofree char *url = NULL;
  GtkWidget *view;
  GtkWidget *window;
  GtkWidget *label;
  gboolean handled = FALSE;

  if (!g_str_has_prefix (data_home, g_get_tmp_dir ()))
    {
      g_test_skip ("Needs a throw-away XDG_DATA_HOME (build-aux/dev _test-inside)");
      return;
    }

  g_mkdir_with_parents (applications, 0700);
  g_mkdir_with_parents (config_home, 0700);
  g_unlink (caught);
  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=URL Catcher\n"
                                  "Exec=sh -c 'printf %%s \"$1\" > %s && mv %s %s' sh %%u\n"
                                  "MimeType=x-scheme-handler/https;x-scheme-handler/http;\n"
                                  "NoDisplay=true\n", caught_new, caught_new, caught);
  g_assert_true (g_file_set_contents (desktop, desktop_text, -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\n"
                                      "x-scheme-handler/https=epsimo-url-catcher.desktop\n"
                                      "x-scheme-handler/http=epsimo-url-catcher.desktop\n",
                                      -1, NULL));

  view = epsimo_markdown_view_new ();
  window = window_with (view);
  epsimo_markdown_view_set_text (EPSIMO_MARKDOWN_VIEW (view),
                                 "See [the docs](https://epsimoagents.com/docs).");
  label = nth_child (view, 0);
  g_signal_emit_by_name (label, "activate-link", "https://epsimoagents.com/docs", &handled);
  g_assert_true (handled);

  g_assert_true (epsimo_ui_test_wait_for (file_exists, caught, 10000));
  g_assert_true (g_file_get_contents (caught, &url, NULL, NULL));
  g_assert_cmpstr (url, ==, "https://epsimoagents.com/docs");

  g_unlink (caught);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  epsimo_ui_test_init (&argc, &argv);
  gtk_source_init ();

  g_test_add_func ("/markdown/blocks", test_blocks);
  g_test_add_func ("/markdown/unsafe-links", test_unsafe_links);
  g_test_add_func ("/markdown/incremental-same-as-whole", test_incremental_same_as_whole);
  g_test_add_func ("/markdown/only-last-block-rerendered", test_only_last_block_rerendered);
  g_test_add_func ("/markdown/long-paragraph-split", test_long_paragraph_split);
  g_test_add_func ("/markdown/view-widgets", test_view_widgets);
  g_test_add_func ("/markdown/view-streaming", test_view_streaming);
  g_test_add_func ("/markdown/view-streaming-paced", test_view_streaming_paced);
  g_test_add_func ("/markdown/view-collapsed-code", test_view_collapsed_code);
  g_test_add_func ("/markdown/link-opens", test_link_opens);

  return g_test_run ();
}
