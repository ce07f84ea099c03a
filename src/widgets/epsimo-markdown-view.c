/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-markdown-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "epsimo-markdown-view.h"
#include "epsimo-tooltip.h"

/* A code block longer than this shows only its first CODE_PREVIEW_LINES until expanded:
 * cheaper to bind, and a better height estimate for the list it sits in. */
#define CODE_COLLAPSE_LINES 20
#define CODE_PREVIEW_LINES  10
#define BLOCK_SPACING       10

/* Appended text (a reply streaming in) is shown at most this often. Updating every frame
 * made the transcript lay out and draw the growing reply 60 times a second, which cost more
 * CPU than reading the stream itself (a 1 MB live reply is 25 GB of events); twenty times
 * a second reads just as smoothly. */
#define APPEND_INTERVAL_US (50 * 1000)

/* ...and at most this many new blocks are made in a frame. Each new paragraph is a label
 * GTK lays out four times to measure it (about a millisecond for a split paragraph): the
 * start of a live reply arrives faster than it is shown (the events are short then), and
 * an update making twenty labels at once stalled the window for 20 ms. The rest follow in
 * the next frames, long before the next text does. */
#define NEW_BLOCKS_PER_FRAME 2

#define BLOCK_KEY "epsimo-markdown-block"
#define CODE_KEY  "epsimo-markdown-code"

struct _EpsimoMarkdownView
{
  GtkWidget               parent_instance;

  EpsimoMarkdownRenderer *renderer;
  gulong                  changed_id;
  gulong                  invalidated_id;
  guint                   tick_id;
  gint64                  last_update_us;  /* frame time of the last update of appended text */
  gboolean                in_frame;        /* updating from the tick: new blocks budgeted */
  guint                   frame_budget;    /* new blocks this frame may still make */
  gboolean                behind;          /* blocks left for the next frames */
  GPtrArray              *children;      /* block widgets in order (owned by the view) */
  guint                   max_blocks;
  gboolean                collapse_code;
  gboolean                truncated;

  /* Drawing only what can be seen: see epsimo_markdown_view_snapshot(). */
  GtkAdjustment          *scroll_adjustment;
  gulong                  scroll_id;
  gboolean                culled;
};

G_DEFINE_FINAL_TYPE (EpsimoMarkdownView, epsimo_markdown_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RENDERER,
  PROP_MAX_BLOCKS,
  PROP_COLLAPSE_CODE,
  PROP_TRUNCATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The widget's few rules, once per display, below the application's own priority so a
 * theme or the app can still override them. */
static const char view_css[] =
  ".epsimo-md-code {"
  "  border-radius: 8px;"
  "  border: 1px solid alpha(currentColor, 0.12);"
  "  background-color: alpha(currentColor, 0.03);"
  "}"
  ".epsimo-md-code > .epsimo-md-code-header { padding: 2px 4px 0 10px; }"
  ".epsimo-md-code > textview { background-color: transparent; border-radius: 0 0 8px 8px; }"
  ".epsimo-md-code > textview > text { background-color: transparent; }"
  ".epsimo-md-quote {"
  "  border-left: 3px solid alpha(currentColor, 0.25);"
  "  padding-left: 10px;"
  "  color: alpha(currentColor, 0.8);"
  "}"
  ".epsimo-md-table .epsimo-md-header { font-weight: bold; }"
  ".epsimo-md-table > separator { background-color: alpha(currentColor, 0.12); }";

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "epsimo-markdown-view-css"))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, view_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION - 1);
  g_object_set_data_full (G_OBJECT (display), "epsimo-markdown-view-css",
                          g_steal_pointer (&provider), g_object_unref);
}

/* Links */

static gboolean
on_activate_link (GtkLabel   *label,
                  const char *uri,
                  gpointer    user_data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (label));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

static GtkWidget *
make_label_with_role (const char        *css_class,
                      GtkAccessibleRole  role)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "accessible-role", role, NULL);

  /* Default WORD wrapping: WORD_CHAR made opening long transcripts much slower. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  g_signal_connect (label, "activate-link", G_CALLBACK (on_activate_link), NULL);
  return label;
}

static GtkWidget *
make_label (const char *css_class)
{
  return make_label_with_role (css_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
set_label_markup (GtkLabel   *label,
                  const char *markup)
{
  if (markup == NULL)
    markup = "";

  /* A label re-lays out its whole text: skip it when nothing changed. */
  if (g_strcmp0 (gtk_label_get_label (label), markup) != 0)
    gtk_label_set_markup (label, markup);
}

/* Code blocks */

typedef struct
{
  GtkWidget       *lang_label;
  GtkWidget       *view;
  GtkWidget       *more_button;
  GtkSourceBuffer *buffer;
  GString         *shown;
  char            *language;
  guint            highlight_id;   /* highlighting still to be set up */
  gboolean         highlighted;    /* for this language */
} CodeWidget;

static void
code_widget_free (CodeWidget *code)
{
  g_clear_handle_id (&code->highlight_id, g_source_remove);
  g_string_free (code->shown, TRUE);
  g_free (code->language);
  g_free (code);
}

static GtkSourceStyleScheme *
current_scheme (void)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (manager,
                                                         dark ? "classic-dark" : "classic");
  return scheme;
}

static GtkSourceLanguage *
find_language (const char *name)
{
  static const struct
  {
    const char *alias;
    const char *id;
  } aliases[] = {
    { "py", "python3" }, { "python", "python3" }, { "js", "js" }, { "javascript", "js" },
    { "ts", "typescript" }, { "sh", "sh" }, { "bash", "sh" }, { "shell", "sh" },
    { "zsh", "sh" }, { "console", "sh" }, { "c++", "cpp" }, { "cc", "cpp" },
    { "yml", "yaml" }, { "rs", "rust" }, { "rb", "ruby" }, { "md", "markdown" },
    { "html", "html" }, { "golang", "go" }, { "cs", "c-sharp" }, { "csharp", "c-sharp" },
    { "kt", "kotlin" }, { "objc", "objc" }, { "dockerfile", "docker" },
  };
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  g_autofree char *lower = NULL;
  g_autofree char *file_name = NULL;
  GtkSourceLanguage *language;

  if (name == NULL || *name == '\0')
    return NULL;

  lower = g_ascii_strdown (name, -1);
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (lower, aliases[i].alias) == 0)
      {
        language = gtk_source_language_manager_get_language (manager, aliases[i].id);
        if (language != NULL)
          return language;
      }

  language = gtk_source_language_manager_get_language (manager, lower);
  if (language != NULL)
    return language;

  /* Many fences name a file extension. */
  file_name = g_strconcat ("file.", lower, NULL);
  return gtk_source_language_manager_guess_language (manager, file_name, NULL);
}

/* Returns the number of lines of @text; *@preview_end is where its first
 * CODE_PREVIEW_LINES lines end (NULL if it has no more). */
static guint
count_lines (const char  *text,
             const char **preview_end)
{
  guint lines = 1;

  *preview_end = NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      {
        if (lines == CODE_PREVIEW_LINES)
          *preview_end = p;
        lines++;
      }
  return lines;
}

/* Highlighting comes after the code is on screen: the first language and style scheme
 * asked of GtkSourceView have it read and check its language and scheme files (100 ms and
 * more), which made the first frame of a thread with code, or a frame while scrolling to
 * the first code block, that much later. The text shows plain until then. */
static gboolean
highlight_cb (gpointer user_data)
{
  CodeWidget *code = user_data;

  code->highlight_id = 0;
  code->highlighted = TRUE;
  gtk_source_buffer_set_style_scheme (code->buffer, current_scheme ());
  gtk_source_buffer_set_language (code->buffer, find_language (code->language));
  return G_SOURCE_REMOVE;
}

static void update_code (EpsimoMarkdownView  *self,
                         GtkWidget           *widget,
                         EpsimoMarkdownBlock *block);

static void
on_copy_code_clicked (GtkButton *button,
                      GtkWidget *widget)
{
  EpsimoMarkdownBlock *block = g_object_get_data (G_OBJECT (widget), BLOCK_KEY);

  if (block == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          epsimo_markdown_block_get_code (block));
  gtk_widget_activate_action (GTK_WIDGET (button), "win.toast", "s", _("Code copied"));
}

static void
on_more_code_clicked (GtkButton *button,
                      GtkWidget *widget)
{
  EpsimoMarkdownBlock *block = g_object_get_data (G_OBJECT (widget), BLOCK_KEY);
  GtkWidget *view = gtk_widget_get_parent (widget);

  if (block == NULL || !EPSIMO_IS_MARKDOWN_VIEW (view))
    return;

  epsimo_markdown_block_set_expanded (block, !epsimo_markdown_block_get_expanded (block));
  update_code (EPSIMO_MARKDOWN_VIEW (view), widget, block);
}

static GtkWidget *
create_code (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *copy_button;
  CodeWidget *code = g_new0 (CodeWidget, 1);

  gtk_widget_add_css_class (box, "epsimo-md-code");
  gtk_widget_set_overflow (box, GTK_OVERFLOW_HIDDEN);

  gtk_widget_add_css_class (header, "epsimo-md-code-header");
  code->lang_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (code->lang_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (code->lang_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (code->lang_label, TRUE);
  gtk_widget_add_css_class (code->lang_label, "dim-label");
  gtk_widget_add_css_class (code->lang_label, "caption");
  gtk_box_append (GTK_BOX (header), code->lang_label);

  copy_button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  epsimo_tooltip_set_text (copy_button, _("Copy Code"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy Code"), -1);
  gtk_widget_add_css_class (copy_button, "flat");
  gtk_widget_set_valign (copy_button, GTK_ALIGN_CENTER);
  g_signal_connect (copy_button, "clicked", G_CALLBACK (on_copy_code_clicked), box);
  gtk_box_append (GTK_BOX (header), copy_button);
  gtk_box_append (GTK_BOX (box), header);

  code->buffer = gtk_source_buffer_new (NULL);
  gtk_source_buffer_set_highlight_matching_brackets (code->buffer, FALSE);
  code->view = gtk_source_view_new_with_buffer (code->buffer);
  g_object_unref (code->buffer); /* the view keeps it */
  gtk_text_view_set_editable (GTK_TEXT_VIEW (code->view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (code->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (code->view), TRUE);
  /* No scrolled window inside a list row (it would swallow the wheel): long lines wrap. */
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (code->view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (code->view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (code->view), 10);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (code->view), 4);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (code->view), 10);
  gtk_accessible_update_property (GTK_ACCESSIBLE (code->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Code"), -1);
  gtk_box_append (GTK_BOX (box), code->view);

  code->more_button = gtk_button_new_with_label (_("Show More"));
  gtk_widget_add_css_class (code->more_button, "flat");
  gtk_widget_set_visible (code->more_button, FALSE);
  g_signal_connect (code->more_button, "clicked", G_CALLBACK (on_more_code_clicked), box);
  gtk_box_append (GTK_BOX (box), code->more_button);

  code->shown = g_string_new (NULL);
  g_object_set_data_full (G_OBJECT (box), CODE_KEY, code, (GDestroyNotify) code_widget_free);
  return box;
}

static void
update_code (EpsimoMarkdownView  *self,
             GtkWidget           *widget,
             EpsimoMarkdownBlock *block)
{
  CodeWidget *code = g_object_get_data (G_OBJECT (widget), CODE_KEY);
  const char *text = epsimo_markdown_block_get_code (block);
  const char *language = epsimo_markdown_block_get_language (block);
  const char *preview_end;
  guint lines = count_lines (text, &preview_end);
  gboolean collapsible = self->collapse_code && lines > CODE_COLLAPSE_LINES;
  gboolean collapsed = collapsible && !epsimo_markdown_block_get_expanded (block);
  gsize len = collapsed && preview_end != NULL ? (gsize) (preview_end - text) : strlen (text);

  if (g_strcmp0 (code->language, language) != 0)
    {
      g_free (code->language);
      code->language = g_strdup (language);
      gtk_label_set_text (GTK_LABEL (code->lang_label), language != NULL ? language : "");
      code->highlighted = FALSE;
    }
  if (!code->highlighted && code->highlight_id == 0)
    code->highlight_id = g_idle_add_full (G_PRIORITY_LOW, highlight_cb, code, NULL);

  /* While a reply streams the code only grows: append what is new, so the work does not
   * depend on the length of the block. */
  if (code->shown->len <= len && memcmp (code->shown->str, text, code->shown->len) == 0)
    {
      if (len > code->shown->len)
        {
          GtkTextIter end;

          gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (code->buffer), &end);
          gtk_text_buffer_insert (GTK_TEXT_BUFFER (code->buffer), &end,
                                  text + code->shown->len, len - code->shown->len);
          g_string_append_len (code->shown, text + code->shown->len, len - code->shown->len);
        }
    }
  else
    {
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (code->buffer), text, len);
      g_string_truncate (code->shown, 0);
      g_string_append_len (code->shown, text, len);
    }

  gtk_widget_set_visible (code->more_button, collapsible);
  if (collapsible)
    {
      g_autofree char *label = NULL;

      if (collapsed)
        label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show All %u Line",
                                              "Show All %u Lines", lines), lines);
      gtk_button_set_label (GTK_BUTTON (code->more_button),
                            collapsed ? label : _("Show Less"));
    }
}

static void
on_dark_changed (EpsimoMarkdownView *self)
{
  GtkSourceStyleScheme *scheme = current_scheme ();

  for (guint i = 0; i < self->children->len; i++)
    {
      CodeWidget *code = g_object_get_data (g_ptr_array_index (self->children, i), CODE_KEY);

      if (code != NULL)
        gtk_source_buffer_set_style_scheme (code->buffer, scheme);
    }
}

/* Lists */

static void
update_list (GtkWidget           *widget,
             EpsimoMarkdownBlock *block)
{
  guint n = epsimo_markdown_block_get_n_items (block);
  GtkWidget *row = gtk_widget_get_first_child (widget);

  for (guint i = 0; i < n; i++)
    {
      const char *marker = epsimo_markdown_block_get_item_marker (block, i);
      GtkWidget *marker_label;
      GtkWidget *text_label;

      if (row == NULL)
        {
          row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          marker_label = gtk_label_new (NULL);
          gtk_label_set_xalign (GTK_LABEL (marker_label), 1);
          gtk_widget_set_valign (marker_label, GTK_ALIGN_START);
          gtk_label_set_width_chars (GTK_LABEL (marker_label), 2);
          gtk_box_append (GTK_BOX (row), marker_label);
          text_label = make_label (NULL);
          gtk_widget_set_hexpand (text_label, TRUE);
          gtk_box_append (GTK_BOX (row), text_label);
          gtk_box_append (GTK_BOX (widget), row);
        }
      marker_label = gtk_widget_get_first_child (row);
      text_label = gtk_widget_get_last_child (row);

      gtk_widget_set_margin_start (row, 22 * epsimo_markdown_block_get_item_depth (block, i));
      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (marker_label)), marker) != 0)
        gtk_label_set_label (GTK_LABEL (marker_label), marker);
      set_label_markup (GTK_LABEL (text_label), epsimo_markdown_block_get_item_markup (block, i));
      row = gtk_widget_get_next_sibling (row);
    }

  while (row != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (row);

      gtk_box_remove (GTK_BOX (widget), row);
      row = next;
    }
}

/* Tables */

/* The header rows, a separator, then the body rows. */
static int
grid_row (guint row,
          guint n_header)
{
  return row < n_header ? (int) row : (int) row + 1;
}

static void
update_table (GtkWidget           *widget,
              EpsimoMarkdownBlock *block)
{
  GtkGrid *grid = GTK_GRID (widget);
  guint n_rows = epsimo_markdown_block_get_n_rows (block);
  guint n_columns = epsimo_markdown_block_get_n_columns (block);
  guint n_header = epsimo_markdown_block_get_n_header_rows (block);
  guint old_header = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "n-header"));
  guint old_columns = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "n-columns"));
  GtkWidget *child;

  /* Cells are reused where they are; a changed shape starts over. */
  child = gtk_widget_get_first_child (widget);
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);
      int column, row, width, height;

      gtk_grid_query_child (grid, child, &column, &row, &width, &height);
      if (old_header != n_header || old_columns != n_columns
          || row >= grid_row (n_rows, n_header))
        gtk_grid_remove (grid, child);
      child = next;
    }
  g_object_set_data (G_OBJECT (widget), "n-header", GUINT_TO_POINTER (n_header));
  g_object_set_data (G_OBJECT (widget), "n-columns", GUINT_TO_POINTER (n_columns));

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        GtkWidget *cell = gtk_grid_get_child_at (grid, c, grid_row (r, n_header));

        if (cell == NULL)
          {
            cell = make_label (NULL);
            gtk_label_set_max_width_chars (GTK_LABEL (cell), 40);
            gtk_grid_attach (grid, cell, c, grid_row (r, n_header), 1, 1);
          }
        gtk_label_set_xalign (GTK_LABEL (cell),
                              epsimo_markdown_block_get_column_xalign (block, c));
        if (r < n_header)
          gtk_widget_add_css_class (cell, "epsimo-md-header");
        else
          gtk_widget_remove_css_class (cell, "epsimo-md-header");
        set_label_markup (GTK_LABEL (cell), epsimo_markdown_block_get_cell_markup (block, r, c));
      }

  if (n_header > 0 && gtk_grid_get_child_at (grid, 0, n_header) == NULL)
    gtk_grid_attach (grid, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL),
                     0, n_header, n_columns, 1);
}

/* Block widgets */

static void
update_heading (GtkWidget           *widget,
                EpsimoMarkdownBlock *block)
{
  static const char *const classes[] = { "title-2", "title-3", "title-4", "heading" };
  guint level = epsimo_markdown_block_get_level (block);
  const char *wanted = classes[MIN (MAX (level, 1), G_N_ELEMENTS (classes)) - 1];

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (classes[i] != wanted)
      gtk_widget_remove_css_class (widget, classes[i]);
  gtk_widget_add_css_class (widget, wanted);
  set_label_markup (GTK_LABEL (widget), epsimo_markdown_block_get_markup (block));
}

static GtkWidget *
create_block_widget (EpsimoMarkdownBlockKind kind)
{
  GtkWidget *widget;

  switch (kind)
    {
    case EPSIMO_MARKDOWN_BLOCK_HEADING:
      widget = make_label_with_role ("epsimo-md-heading", GTK_ACCESSIBLE_ROLE_HEADING);
      break;

    case EPSIMO_MARKDOWN_BLOCK_QUOTE:
      widget = make_label ("epsimo-md-quote");
      break;

    case EPSIMO_MARKDOWN_BLOCK_LIST:
      widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      gtk_widget_add_css_class (widget, "epsimo-md-list");
      break;

    case EPSIMO_MARKDOWN_BLOCK_CODE:
      widget = create_code ();
      break;

    case EPSIMO_MARKDOWN_BLOCK_TABLE:
      widget = gtk_grid_new ();
      gtk_grid_set_column_spacing (GTK_GRID (widget), 18);
      gtk_grid_set_row_spacing (GTK_GRID (widget), 6);
      gtk_widget_add_css_class (widget, "epsimo-md-table");
      break;

    case EPSIMO_MARKDOWN_BLOCK_RULE:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      break;

    case EPSIMO_MARKDOWN_BLOCK_PARAGRAPH:
    default:
      widget = make_label ("epsimo-md-paragraph");
      break;
    }

  g_object_set_data (G_OBJECT (widget), "epsimo-markdown-kind", GUINT_TO_POINTER (kind + 1));
  return widget;
}

static EpsimoMarkdownBlockKind
widget_kind (GtkWidget *widget)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "epsimo-markdown-kind")) - 1;
}

static void
update_block_widget (EpsimoMarkdownView  *self,
                     GtkWidget           *widget,
                     EpsimoMarkdownBlock *block)
{
  switch (epsimo_markdown_block_get_kind (block))
    {
    case EPSIMO_MARKDOWN_BLOCK_HEADING:
      {
        guint level = epsimo_markdown_block_get_level (block);

        update_heading (widget, block);
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_PROPERTY_LEVEL, level, -1);
      }
      break;

    case EPSIMO_MARKDOWN_BLOCK_LIST:
      update_list (widget, block);
      break;

    case EPSIMO_MARKDOWN_BLOCK_CODE:
      update_code (self, widget, block);
      break;

    case EPSIMO_MARKDOWN_BLOCK_TABLE:
      update_table (widget, block);
      break;

    case EPSIMO_MARKDOWN_BLOCK_RULE:
      break;

    case EPSIMO_MARKDOWN_BLOCK_PARAGRAPH:
    case EPSIMO_MARKDOWN_BLOCK_QUOTE:
    default:
      set_label_markup (GTK_LABEL (widget), epsimo_markdown_block_get_markup (block));
      break;
    }

  g_object_set_data_full (G_OBJECT (widget), BLOCK_KEY, epsimo_markdown_block_ref (block),
                          (GDestroyNotify) epsimo_markdown_block_unref);
}

static void
set_truncated (EpsimoMarkdownView *self,
               gboolean            truncated)
{
  if (self->truncated == truncated)
    return;

  self->truncated = truncated;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNCATED]);
}

/* Makes the block widgets from @from on show the renderer's blocks. Widgets showing the
 * same block object are left alone; a widget of the right kind is updated in place. In a
 * frame's update of appended text, at most NEW_BLOCKS_PER_FRAME widgets are added at the
 * end: the view is then behind, and the tick adds the rest over the next frames. */
static void
sync_from (EpsimoMarkdownView *self,
           guint               from)
{
  guint n = self->renderer != NULL ? epsimo_markdown_renderer_get_n_blocks (self->renderer) : 0;
  guint shown = self->max_blocks > 0 ? MIN (n, self->max_blocks) : n;

  self->behind = FALSE;
  for (guint i = from; i < shown; i++)
    {
      EpsimoMarkdownBlock *block = epsimo_markdown_renderer_get_block (self->renderer, i);
      EpsimoMarkdownBlockKind kind = epsimo_markdown_block_get_kind (block);
      GtkWidget *widget = i < self->children->len ? g_ptr_array_index (self->children, i) : NULL;
      gboolean spaced;

      if (widget != NULL && g_object_get_data (G_OBJECT (widget), BLOCK_KEY) == block)
        ;
      else if (widget != NULL && widget_kind (widget) == kind)
        update_block_widget (self, widget, block);
      else if (widget == NULL && self->in_frame && self->frame_budget == 0)
        {
          self->behind = TRUE;
          break;
        }
      else
        {
          GtkWidget *fresh = create_block_widget (kind);

          update_block_widget (self, fresh, block);
          gtk_widget_insert_before (fresh, GTK_WIDGET (self), widget);
          if (widget != NULL)
            {
              gtk_widget_unparent (widget);
              g_ptr_array_index (self->children, i) = fresh;
            }
          else
            {
              g_ptr_array_add (self->children, fresh);
              if (self->in_frame)
                self->frame_budget--;
            }
          widget = fresh;
        }

      spaced = i > 0 && !epsimo_markdown_block_get_continuation (block);
      gtk_widget_set_margin_top (widget, spaced ? BLOCK_SPACING : 0);
    }

  for (guint i = shown; i < self->children->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->children, i));
  if (self->children->len > shown)
    g_ptr_array_set_size (self->children, shown);

  set_truncated (self, shown < n);
}

static void
on_renderer_changed (EpsimoMarkdownView     *self,
                     guint                   position,
                     guint                   removed,
                     guint                   added,
                     EpsimoMarkdownRenderer *renderer)
{
  sync_from (self, MIN (position, self->children->len));
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  EpsimoMarkdownView *self = EPSIMO_MARKDOWN_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gboolean pending;

  self->in_frame = TRUE;
  self->frame_budget = NEW_BLOCKS_PER_FRAME;
  if (self->behind)
    sync_from (self, self->children->len);
  pending = self->renderer != NULL && epsimo_markdown_renderer_get_pending (self->renderer);
  if (pending && now - self->last_update_us >= APPEND_INTERVAL_US)
    {
      self->last_update_us = now;
      epsimo_markdown_renderer_update (self->renderer);
      pending = FALSE;
    }
  self->in_frame = FALSE;

  if (pending || self->behind)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

/* Appended text is rendered on a coming frame: many deltas, one update. */
static void
on_renderer_invalidated (EpsimoMarkdownView *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

static void
remove_tick (EpsimoMarkdownView *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
disconnect_renderer (EpsimoMarkdownView *self)
{
  remove_tick (self);
  if (self->renderer != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->renderer);
      g_clear_signal_handler (&self->invalidated_id, self->renderer);
      g_clear_object (&self->renderer);
    }
}

/* Drawing.
 *
 * A long reply (streamed, or expanded) is hundreds of blocks in a list row far taller than
 * the window. GTK 4.8 snapshots every child, and the cairo renderer then goes through every
 * glyph of their text, on screen or not: a 1 MB reply cost 10 ms a frame, more as it grew.
 * So a view taller than twice the scrolled window around it draws only the blocks that
 * cross the window, and draws again when the window scrolls (its render node is otherwise
 * kept, as GTK keeps it for a row that only moved). */

static void
on_scrolled (EpsimoMarkdownView *self)
{
  if (self->culled)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
stop_watching_scroll (EpsimoMarkdownView *self)
{
  if (self->scroll_adjustment != NULL)
    {
      g_clear_signal_handler (&self->scroll_id, self->scroll_adjustment);
      g_clear_object (&self->scroll_adjustment);
    }
}

static void
epsimo_markdown_view_map (GtkWidget *widget)
{
  EpsimoMarkdownView *self = EPSIMO_MARKDOWN_VIEW (widget);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);

  GTK_WIDGET_CLASS (epsimo_markdown_view_parent_class)->map (widget);

  stop_watching_scroll (self);
  if (scrolled != NULL)
    {
      self->scroll_adjustment =
        g_object_ref (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
      self->scroll_id = g_signal_connect_swapped (self->scroll_adjustment, "value-changed",
                                                  G_CALLBACK (on_scrolled), self);
    }
}

static void
epsimo_markdown_view_unmap (GtkWidget *widget)
{
  stop_watching_scroll (EPSIMO_MARKDOWN_VIEW (widget));

  GTK_WIDGET_CLASS (epsimo_markdown_view_parent_class)->unmap (widget);
}

static void
epsimo_markdown_view_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  EpsimoMarkdownView *self = EPSIMO_MARKDOWN_VIEW (widget);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t visible;
  gboolean cull;

  cull = scrolled != NULL
         && gtk_widget_get_height (widget) > 2 * gtk_widget_get_height (scrolled)
         && gtk_widget_compute_bounds (scrolled, widget, &visible);
  self->culled = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (cull && gtk_widget_compute_bounds (child, widget, &bounds)
          && !graphene_rect_intersection (&bounds, &visible, NULL))
        {
          self->culled = TRUE;
          continue;
        }
      gtk_widget_snapshot_child (widget, child, snapshot);
    }
}

static void
epsimo_markdown_view_dispose (GObject *object)
{
  EpsimoMarkdownView *self = (EpsimoMarkdownView *)object;
  GtkWidget *child;

  stop_watching_scroll (self);

  disconnect_renderer (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->children, 0);

  G_OBJECT_CLASS (epsimo_markdown_view_parent_class)->dispose (object);
}

static void
epsimo_markdown_view_finalize (GObject *object)
{
  EpsimoMarkdownView *self = (EpsimoMarkdownView *)object;

  g_ptr_array_unref (self->children);

  G_OBJECT_CLASS (epsimo_markdown_view_parent_class)->finalize (object);
}

static void
epsimo_markdown_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EpsimoMarkdownView *self = EPSIMO_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_RENDERER:
      g_value_set_object (value, self->renderer);
      break;

    case PROP_MAX_BLOCKS:
      g_value_set_uint (value, self->max_blocks);
      break;

    case PROP_COLLAPSE_CODE:
      g_value_set_boolean (value, self->collapse_code);
      break;

    case PROP_TRUNCATED:
      g_value_set_boolean (value, self->truncated);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_markdown_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  EpsimoMarkdownView *self = EPSIMO_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_RENDERER:
      epsimo_markdown_view_set_renderer (self, g_value_get_object (value));
      break;

    case PROP_MAX_BLOCKS:
      epsimo_markdown_view_set_max_blocks (self, g_value_get_uint (value));
      break;

    case PROP_COLLAPSE_CODE:
      epsimo_markdown_view_set_collapse_code (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_markdown_view_class_init (EpsimoMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_markdown_view_dispose;
  object_class->finalize = epsimo_markdown_view_finalize;
  object_class->get_property = epsimo_markdown_view_get_property;
  object_class->set_property = epsimo_markdown_view_set_property;

  properties[PROP_RENDERER] =
    g_param_spec_object ("renderer", NULL, NULL,
                         EPSIMO_TYPE_MARKDOWN_RENDERER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_BLOCKS] =
    g_param_spec_uint ("max-blocks", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_COLLAPSE_CODE] =
    g_param_spec_boolean ("collapse-code", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TRUNCATED] =
    g_param_spec_boolean ("truncated", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = epsimo_markdown_view_map;
  widget_class->unmap = epsimo_markdown_view_unmap;
  widget_class->snapshot = epsimo_markdown_view_snapshot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdownview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /* Safe to call more than once; the application may not have. */
  gtk_source_init ();
}

static void
epsimo_markdown_view_init (EpsimoMarkdownView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  self->children = g_ptr_array_new ();
  self->collapse_code = TRUE;

  ensure_css (gdk_display_get_default ());
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
epsimo_markdown_view_new (void)
{
  return g_object_new (EPSIMO_TYPE_MARKDOWN_VIEW, NULL);
}

void
epsimo_markdown_view_set_renderer (EpsimoMarkdownView     *self,
                                   EpsimoMarkdownRenderer *renderer)
{
  g_return_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self));
  g_return_if_fail (renderer == NULL || EPSIMO_IS_MARKDOWN_RENDERER (renderer));

  if (self->renderer == renderer)
    return;

  disconnect_renderer (self);
  if (renderer != NULL)
    {
      self->renderer = g_object_ref (renderer);
      self->changed_id = g_signal_connect_swapped (renderer, "changed",
                                                   G_CALLBACK (on_renderer_changed), self);
      self->invalidated_id = g_signal_connect_swapped (renderer, "invalidated",
                                                       G_CALLBACK (on_renderer_invalidated),
                                                       self);
      /* Bring the blocks up to date first, so they are built once. */
      epsimo_markdown_renderer_update (renderer);
    }

  sync_from (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERER]);
}

EpsimoMarkdownRenderer *
epsimo_markdown_view_get_renderer (EpsimoMarkdownView *self)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self), NULL);

  return self->renderer;
}

void
epsimo_markdown_view_set_text (EpsimoMarkdownView *self,
                               const char         *text)
{
  g_autoptr(EpsimoMarkdownRenderer) renderer = epsimo_markdown_renderer_new ();

  g_return_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self));

  epsimo_markdown_renderer_set_text (renderer, text);
  epsimo_markdown_view_set_renderer (self, renderer);
}

void
epsimo_markdown_view_append (EpsimoMarkdownView *self,
                             const char         *text)
{
  g_return_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self));

  if (self->renderer == NULL)
    {
      g_autoptr(EpsimoMarkdownRenderer) renderer = epsimo_markdown_renderer_new ();

      epsimo_markdown_view_set_renderer (self, renderer);
    }
  epsimo_markdown_renderer_append (self->renderer, text, -1);
}

void
epsimo_markdown_view_set_max_blocks (EpsimoMarkdownView *self,
                                     guint               max_blocks)
{
  g_return_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self));

  if (self->max_blocks == max_blocks)
    return;

  self->max_blocks = max_blocks;
  sync_from (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BLOCKS]);
}

guint
epsimo_markdown_view_get_max_blocks (EpsimoMarkdownView *self)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self), 0);

  return self->max_blocks;
}

void
epsimo_markdown_view_set_collapse_code (EpsimoMarkdownView *self,
                                        gboolean            collapse)
{
  g_return_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self));

  collapse = !!collapse;
  if (self->collapse_code == collapse)
    return;

  self->collapse_code = collapse;
  for (guint i = 0; i < self->children->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->children, i);
      EpsimoMarkdownBlock *block = g_object_get_data (G_OBJECT (widget), BLOCK_KEY);

      if (block != NULL && epsimo_markdown_block_get_kind (block) == EPSIMO_MARKDOWN_BLOCK_CODE)
        update_code (self, widget, block);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLLAPSE_CODE]);
}

gboolean
epsimo_markdown_view_get_collapse_code (EpsimoMarkdownView *self)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self), TRUE);

  return self->collapse_code;
}

gboolean
epsimo_markdown_view_get_truncated (EpsimoMarkdownView *self)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_VIEW (self), FALSE);

  return self->truncated;
}
