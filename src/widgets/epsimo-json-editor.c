/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-json-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <math.h>
#include <string.h>

#include "api/epsimo-json.h"

#include "epsimo-json-editor.h"

/* Deeper documents are refused rather than risking the stack in the checker below. */
#define MAX_DEPTH 256

struct _EpsimoJsonEditor
{
  AdwBin               parent_instance;

  GtkFrame            *frame;
  GtkScrolledWindow   *scroller;
  GtkSourceView       *view;
  GtkLabel            *error_label;

  GtkSourceBuffer     *buffer;
  GtkTextTag          *error_tag;

  char                *accessible_label;
  guint                frozen;     /* inside a replacement of the whole text */

  JsonNode            *node;       /* the parsed document while valid */
  char                *error;      /* NULL while valid */
  gboolean             valid;

  EpsimoJsonValidator  validator;
  gpointer             validator_data;
  GDestroyNotify       validator_destroy;
};

G_DEFINE_FINAL_TYPE (EpsimoJsonEditor, epsimo_json_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_VALID,
  PROP_ERROR,
  PROP_ACCESSIBLE_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* libadwaita 1.2 has no style for an invalid text area; the frame turns red like an
 * entry does. Loaded once per display, as the error banner does. */
static const char editor_css[] =
  "frame.epsimo-json-editor.error {\n"
  "  border-color: @error_color;\n"
  "  box-shadow: inset 0 0 0 1px @error_color;\n"
  "}\n";

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "epsimo-json-editor-css"))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, editor_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "epsimo-json-editor-css",
                          g_steal_pointer (&provider), g_object_unref);
}

/* A strict RFC 8259 checker. json-glib 1.6 accepts single quotes, leading zeros and
 * unknown escapes, and reports the position of the token before a mistake, so the text
 * is checked here first (exact line and column, a message a user can act on) and handed
 * to json-glib only once it is valid. */

typedef struct
{
  const char *text;
  const char *p;
  const char *end;
  int         depth;

  /* The first error: where and what. */
  const char *error_at;
  char       *message;
} Checker;

static gboolean
fail_at (Checker    *c,
         const char *at,
         char       *message)
{
  if (c->message == NULL)
    {
      c->error_at = at;
      c->message = message;
    }
  else
    g_free (message);
  return FALSE;
}

static void
skip_space (Checker *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

/* The character at @at for a message: quoted ("“x”"), or its code point when invisible. */
static char *
describe_char (const char *at,
               const char *end)
{
  gunichar ch = g_utf8_get_char_validated (at, end - at);
  char buf[8] = { 0 };

  /* GtkTextBuffer text is valid UTF-8; be safe anyway. */
  if (ch == (gunichar) -1 || ch == (gunichar) -2)
    ch = 0xFFFD;
  if (!g_unichar_isgraph (ch))
    return g_strdup_printf ("U+%04X", ch);

  g_unichar_to_utf8 (ch, buf);
  /* TRANSLATORS: a character quoted in an error message, e.g. “x” */
  return g_strdup_printf (_("“%s”"), buf);
}

static gboolean
unexpected (Checker *c)
{
  g_autofree char *what = NULL;

  if (c->p >= c->end)
    return fail_at (c, c->p, g_strdup (_("the text ends too early")));

  what = describe_char (c->p, c->end);
  /* TRANSLATORS: %s is a quoted character, e.g. “x”, or a code point such as U+0007 */
  return fail_at (c, c->p, g_strdup_printf (_("unexpected character %s"), what));
}

static gboolean check_value (Checker *c);

static gboolean
check_string (Checker  *c,
              GString  *out)
{
  const char *start = c->p;

  c->p++; /* the opening quote */
  while (c->p < c->end)
    {
      guchar ch = (guchar) *c->p;

      if (ch == '"')
        {
          if (out != NULL)
            g_string_append_len (out, start + 1, c->p - start - 1);
          c->p++;
          return TRUE;
        }
      if (ch == '\\')
        {
          const char *escape = c->p;

          c->p++;
          if (c->p >= c->end)
            break;
          if (strchr ("\"\\/bfnrt", *c->p) != NULL)
            c->p++;
          else if (*c->p == 'u')
            {
              c->p++;
              for (int i = 0; i < 4; i++, c->p++)
                if (c->p >= c->end || !g_ascii_isxdigit (*c->p))
                  return fail_at (c, escape,
                                  g_strdup (_("“\\u” must be followed by four hexadecimal "
                                              "digits")));
            }
          else
            return fail_at (c, escape, g_strdup (_("invalid escape sequence in a string")));
          continue;
        }
      if (ch < 0x20)
        return fail_at (c, c->p,
                        g_strdup (ch == '\n'
                                  ? _("a string cannot span lines: close it with a double "
                                      "quote or write “\\n”")
                                  : _("control characters in a string must be escaped")));
      c->p++;
    }

  return fail_at (c, start, g_strdup (_("the string is not closed")));
}

static gboolean
check_number (Checker *c)
{
  const char *start = c->p;

  if (*c->p == '-')
    c->p++;
  if (c->p >= c->end || !g_ascii_isdigit (*c->p))
    return fail_at (c, start, g_strdup (_("invalid number")));
  if (*c->p == '0')
    {
      c->p++;
      if (c->p < c->end && g_ascii_isdigit (*c->p))
        return fail_at (c, start, g_strdup (_("numbers cannot start with 0")));
    }
  else
    while (c->p < c->end && g_ascii_isdigit (*c->p))
      c->p++;

  if (c->p < c->end && *c->p == '.')
    {
      c->p++;
      if (c->p >= c->end || !g_ascii_isdigit (*c->p))
        return fail_at (c, start, g_strdup (_("invalid number: a digit must follow the point")));
      while (c->p < c->end && g_ascii_isdigit (*c->p))
        c->p++;
    }
  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E'))
    {
      c->p++;
      if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
        c->p++;
      if (c->p >= c->end || !g_ascii_isdigit (*c->p))
        return fail_at (c, start, g_strdup (_("invalid number: the exponent has no digits")));
      while (c->p < c->end && g_ascii_isdigit (*c->p))
        c->p++;
    }

  return TRUE;
}

static gboolean
check_word (Checker *c)
{
  static const char * const words[] = { "true", "false", "null" };
  const char *start = c->p;
  g_autofree char *word = NULL;

  while (c->p < c->end && (g_ascii_isalnum (*c->p) || *c->p == '_'))
    c->p++;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if ((gsize) (c->p - start) == strlen (words[i]) &&
        strncmp (start, words[i], c->p - start) == 0)
      return TRUE;

  word = g_strndup (start, MIN (c->p - start, 40));
  return fail_at (c, start,
                  /* TRANSLATORS: %s is a word the user typed where a JSON value belongs */
                  g_strdup_printf (_("unknown word “%s”: text must be in double quotes, and "
                                     "the only words are true, false and null"), word));
}

static gboolean
check_object (Checker *c)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  c->p++; /* { */
  skip_space (c);
  if (c->p < c->end && *c->p == '}')
    {
      c->p++;
      return TRUE;
    }

  for (;;)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      const char *name_at;

      skip_space (c);
      name_at = c->p;
      if (c->p < c->end && *c->p == '}')
        return fail_at (c, c->p, g_strdup (_("a comma cannot come before “}”")));
      if (c->p < c->end && (*c->p == '\'' || g_ascii_isalpha (*c->p) || *c->p == '_'))
        return fail_at (c, c->p, g_strdup (_("member names must be in double quotes")));
      if (c->p >= c->end || *c->p != '"')
        return unexpected (c);
      if (!check_string (c, name))
        return FALSE;
      if (!g_hash_table_add (names, g_string_free (g_steal_pointer (&name), FALSE)))
        {
          g_autofree char *quoted = g_strndup (name_at + 1, MIN (c->p - name_at - 2, 60));

          /* TRANSLATORS: %s is a member name of a JSON object */
          return fail_at (c, name_at, g_strdup_printf (_("the name “%s” is used twice"),
                                                       quoted));
        }

      skip_space (c);
      if (c->p >= c->end || *c->p != ':')
        {
          if (c->p >= c->end)
            return unexpected (c);
          return fail_at (c, c->p, g_strdup (_("expected “:” after the member name")));
        }
      c->p++;

      if (!check_value (c))
        return FALSE;

      skip_space (c);
      if (c->p < c->end && *c->p == ',')
        {
          c->p++;
          continue;
        }
      if (c->p < c->end && *c->p == '}')
        {
          c->p++;
          return TRUE;
        }
      if (c->p >= c->end)
        return unexpected (c);
      return fail_at (c, c->p, g_strdup (_("expected “,” or “}”")));
    }
}

static gboolean
check_array (Checker *c)
{
  c->p++; /* [ */
  skip_space (c);
  if (c->p < c->end && *c->p == ']')
    {
      c->p++;
      return TRUE;
    }

  for (;;)
    {
      skip_space (c);
      if (c->p < c->end && *c->p == ']')
        return fail_at (c, c->p, g_strdup (_("a comma cannot come before “]”")));
      if (!check_value (c))
        return FALSE;

      skip_space (c);
      if (c->p < c->end && *c->p == ',')
        {
          c->p++;
          continue;
        }
      if (c->p < c->end && *c->p == ']')
        {
          c->p++;
          return TRUE;
        }
      if (c->p >= c->end)
        return unexpected (c);
      return fail_at (c, c->p, g_strdup (_("expected “,” or “]”")));
    }
}

static gboolean
check_value (Checker *c)
{
  gboolean ok;

  skip_space (c);
  if (c->p >= c->end)
    return unexpected (c);

  switch (*c->p)
    {
    case '{':
    case '[':
      if (++c->depth > MAX_DEPTH)
        return fail_at (c, c->p, g_strdup (_("the document is nested too deeply")));
      ok = *c->p == '{' ? check_object (c) : check_array (c);
      c->depth--;
      return ok;

    case '"':
      return check_string (c, NULL);

    case '\'':
      return fail_at (c, c->p, g_strdup (_("strings must be in double quotes")));

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return check_number (c);

    default:
      if (g_ascii_isalpha (*c->p))
        return check_word (c);
      return unexpected (c);
    }
}

/* Line and column (both from 1, the column in characters) of @at in @text. */
static void
get_position (const char *text,
              const char *at,
              int        *line,
              int        *column)
{
  const char *line_start = text;

  *line = 1;
  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      {
        (*line)++;
        line_start = p + 1;
      }
  *column = (int) g_utf8_strlen (line_start, at - line_start) + 1;
}

static void
clear_error_mark (EpsimoJsonEditor *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_text_buffer_remove_tag (GTK_TEXT_BUFFER (self->buffer), self->error_tag, &start, &end);
}

/* Underlines the character the error is about (or the last one, at the end). */
static void
mark_error (EpsimoJsonEditor *self,
            int               line,
            int               column)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_line_offset (buffer, &start, line - 1, column - 1);
  end = start;
  if (!gtk_text_iter_forward_char (&end) || gtk_text_iter_get_line (&end) != line - 1)
    {
      if (!gtk_text_iter_backward_char (&start))
        return;
      end = start;
      gtk_text_iter_forward_char (&end);
    }
  gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
}

static gboolean
set_state (EpsimoJsonEditor *self,
           JsonNode         *node,
           char             *error)
{
  gboolean valid = error == NULL;
  gboolean valid_changed = self->valid != valid;
  gboolean error_changed = g_strcmp0 (self->error, error) != 0;

  g_clear_pointer (&self->node, json_node_unref);
  self->node = valid ? node : NULL;
  if (!valid && node != NULL)
    json_node_unref (node);

  g_free (self->error);
  self->error = error;
  self->valid = valid;

  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (valid)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->frame), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->view),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->frame), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->view),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error,
                                      -1);
    }

  if (valid_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);

  return valid;
}

static void
validate (EpsimoJsonEditor *self)
{
  g_autofree char *text = epsimo_json_editor_dup_text (self);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  Checker c = { 0 };
  JsonNode *root;
  char *message;
  int line, column;

  clear_error_mark (self);

  c.text = c.p = text;
  c.end = text + strlen (text);

  skip_space (&c);
  if (c.p == c.end)
    {
      set_state (self, NULL, g_strdup (_("Enter a JSON value.")));
      return;
    }

  if (check_value (&c))
    {
      skip_space (&c);
      if (c.p < c.end)
        fail_at (&c, c.p, g_strdup (_("unexpected text after the end of the value")));
    }

  if (c.message != NULL)
    {
      g_autofree char *what = g_steal_pointer (&c.message);

      get_position (text, c.error_at, &line, &column);
      mark_error (self, line, column);
      /* TRANSLATORS: a JSON error, e.g. “Line 3, column 5: unexpected character “x”” */
      set_state (self, NULL, g_strdup_printf (_("Line %d, column %d: %s"), line, column, what));
      return;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, -1, &parse_error) ||
      json_parser_get_root (parser) == NULL)
    {
      /* Not expected after the check above; still, never claim such text is valid. */
      set_state (self, NULL, g_strdup (parse_error != NULL ? parse_error->message
                                                            : _("Enter a JSON value.")));
      return;
    }

  root = json_parser_steal_root (parser);
  message = self->validator != NULL ? self->validator (root, self->validator_data) : NULL;
  set_state (self, root, message);
}

static void
on_buffer_changed (EpsimoJsonEditor *self)
{
  /* A replacement deletes then inserts: report it once, not a transient empty text. */
  if (self->frozen > 0)
    return;

  validate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
update_style_scheme (EpsimoJsonEditor *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);

  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

static void
format_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  epsimo_json_editor_format (EPSIMO_JSON_EDITOR (widget));
}

/* Highlighting is set up when the editor is first shown, not when it is made: the first
 * language and style scheme asked of GtkSourceView have it read (and validate) its
 * language and scheme files, which took a good part of the window's start-up for editors
 * the user had not opened yet. */
static void
ensure_highlighting (EpsimoJsonEditor *self)
{
  GtkSourceLanguageManager *languages;

  if (gtk_source_buffer_get_language (self->buffer) != NULL)
    return;

  languages = gtk_source_language_manager_get_default ();
  gtk_source_buffer_set_language (self->buffer,
                                  gtk_source_language_manager_get_language (languages, "json"));
  update_style_scheme (self);
}

static void
epsimo_json_editor_realize (GtkWidget *widget)
{
  ensure_css (gtk_widget_get_display (widget));
  ensure_highlighting (EPSIMO_JSON_EDITOR (widget));

  GTK_WIDGET_CLASS (epsimo_json_editor_parent_class)->realize (widget);
}

static void
epsimo_json_editor_dispose (GObject *object)
{
  EpsimoJsonEditor *self = (EpsimoJsonEditor *)object;

  if (self->buffer != NULL)
    g_signal_handlers_disconnect_by_data (self->buffer, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_JSON_EDITOR);

  G_OBJECT_CLASS (epsimo_json_editor_parent_class)->dispose (object);
}

static void
epsimo_json_editor_finalize (GObject *object)
{
  EpsimoJsonEditor *self = (EpsimoJsonEditor *)object;

  if (self->validator_destroy != NULL)
    self->validator_destroy (self->validator_data);
  g_clear_pointer (&self->node, json_node_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->accessible_label, g_free);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (epsimo_json_editor_parent_class)->finalize (object);
}

static void
epsimo_json_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EpsimoJsonEditor *self = EPSIMO_JSON_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_take_string (value, epsimo_json_editor_dup_text (self));
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_ACCESSIBLE_LABEL:
      g_value_set_string (value, self->accessible_label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_json_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EpsimoJsonEditor *self = EPSIMO_JSON_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      epsimo_json_editor_set_text (self, g_value_get_string (value));
      break;

    case PROP_ACCESSIBLE_LABEL:
      epsimo_json_editor_set_accessible_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_json_editor_class_init (EpsimoJsonEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_json_editor_dispose;
  object_class->finalize = epsimo_json_editor_finalize;
  object_class->get_property = epsimo_json_editor_get_property;
  object_class->set_property = epsimo_json_editor_set_property;

  widget_class->realize = epsimo_json_editor_realize;

  /**
   * EpsimoJsonEditor:text:
   *
   * The text being edited.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* So a template can name the text area for screen readers. */
  properties[PROP_ACCESSIBLE_LABEL] =
    g_param_spec_string ("accessible-label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoJsonEditor::changed:
   *
   * The text changed; #EpsimoJsonEditor:valid and #EpsimoJsonEditor:error are
   * already up to date.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "json-editor.format", NULL, format_action);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/widgets/"
                                               "epsimo-json-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoJsonEditor, frame);
  gtk_widget_class_bind_template_child (widget_class, EpsimoJsonEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, EpsimoJsonEditor, view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoJsonEditor, error_label);
}

static void
epsimo_json_editor_init (EpsimoJsonEditor *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->buffer = g_object_ref (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
    self->view))));
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, TRUE);
  self->error_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), NULL,
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                NULL);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  g_menu_append (menu, _("_Format JSON"), "json-editor.format");
  gtk_text_view_set_extra_menu (GTK_TEXT_VIEW (self->view), G_MENU_MODEL (menu));

  validate (self);
  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (on_buffer_changed), self);
}

/**
 * epsimo_json_editor_new:
 *
 * Returns: (transfer floating): a new, empty JSON editor
 */
GtkWidget *
epsimo_json_editor_new (void)
{
  return g_object_new (EPSIMO_TYPE_JSON_EDITOR, NULL);
}

/**
 * epsimo_json_editor_set_text:
 * @text: (nullable): the new text
 *
 * Replaces the text (not undoable: it is a new document). Setting the text it
 * already has does nothing, so two editors kept in step do not loop.
 */
void
epsimo_json_editor_set_text (EpsimoJsonEditor *self,
                             const char       *text)
{
  g_autofree char *current = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start;

  g_return_if_fail (EPSIMO_IS_JSON_EDITOR (self));

  if (text == NULL)
    text = "";

  current = epsimo_json_editor_dup_text (self);
  if (g_str_equal (current, text))
    return;

  buffer = GTK_TEXT_BUFFER (self->buffer);
  self->frozen++;
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  self->frozen--;

  on_buffer_changed (self);
}

/**
 * epsimo_json_editor_dup_text:
 *
 * Returns: (transfer full): the text being edited
 */
char *
epsimo_json_editor_dup_text (EpsimoJsonEditor *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (EPSIMO_IS_JSON_EDITOR (self), NULL);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, TRUE);
}

/* Pretty printing. json-glib 1.6 writes 0.1 as 0.10000000000000001; the shortest form that
 * reads back the same is what a person typed and wants to see. */

static void
append_indent (GString *out,
               guint    level)
{
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_string (GString    *out,
               const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar ch = (guchar) *p;

      switch (ch)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (ch < 0x20)
            g_string_append_printf (out, "\\u%04x", ch);
          else
            g_string_append_c (out, (char) ch);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      g_autofree char *format = g_strdup_printf ("%%.%dg", precision);

      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  /* Keep it a real number when read back: "1" would come back as an integer. */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_node (GString  *out,
             JsonNode *node,
             guint     level)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        if (json_object_get_size (object) == 0)
          {
            g_string_append (out, "{}");
            break;
          }

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            g_string_append (out, first ? "\n" : ",\n");
            first = FALSE;
            append_indent (out, level + 1);
            append_string (out, name);
            g_string_append (out, ": ");
            append_node (out, member, level + 1);
          }
        g_string_append_c (out, '\n');
        append_indent (out, level);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            g_string_append (out, i == 0 ? "\n" : ",\n");
            append_indent (out, level + 1);
            append_node (out, json_array_get_element (array, i), level + 1);
          }
        g_string_append_c (out, '\n');
        append_indent (out, level);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

static char *
pretty_print (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  append_node (out, node, 0);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/**
 * epsimo_json_editor_set_node:
 * @node: (nullable): the document to show, pretty-printed
 *
 * Replaces the text with @node indented by two spaces (%NULL: empty text).
 */
void
epsimo_json_editor_set_node (EpsimoJsonEditor *self,
                             JsonNode         *node)
{
  g_autofree char *text = NULL;

  g_return_if_fail (EPSIMO_IS_JSON_EDITOR (self));

  if (node != NULL)
    text = pretty_print (node);
  epsimo_json_editor_set_text (self, text);
}

/**
 * epsimo_json_editor_dup_node:
 *
 * Returns: (transfer full) (nullable): a copy of the parsed document, or %NULL
 *   while the text is invalid
 */
JsonNode *
epsimo_json_editor_dup_node (EpsimoJsonEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_JSON_EDITOR (self), NULL);

  return self->node != NULL ? epsimo_json_node_copy (self->node) : NULL;
}

gboolean
epsimo_json_editor_get_valid (EpsimoJsonEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_JSON_EDITOR (self), FALSE);

  return self->valid;
}

/**
 * epsimo_json_editor_get_error:
 *
 * Returns: (nullable): why the text is invalid, for a user
 *   ("Line 3, column 5: unexpected character “x”"), or %NULL while it is valid
 */
const char *
epsimo_json_editor_get_error (EpsimoJsonEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_JSON_EDITOR (self), NULL);

  return self->error;
}

/**
 * epsimo_json_editor_set_validator:
 * @func: (nullable): a check run on every document that parses
 *
 * Sets an extra check (e.g. "is an object schema"); the text is checked again now.
 */
void
epsimo_json_editor_set_validator (EpsimoJsonEditor    *self,
                                  EpsimoJsonValidator  func,
                                  gpointer             user_data,
                                  GDestroyNotify       destroy)
{
  g_return_if_fail (EPSIMO_IS_JSON_EDITOR (self));

  if (self->validator_destroy != NULL)
    self->validator_destroy (self->validator_data);

  self->validator = func;
  self->validator_data = user_data;
  self->validator_destroy = destroy;

  validate (self);
}

/**
 * epsimo_json_editor_format:
 *
 * Pretty-prints the text when it is valid, as one step the user can undo.
 */
void
epsimo_json_editor_format (EpsimoJsonEditor *self)
{
  g_autofree char *text = NULL;
  g_autofree char *current = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (EPSIMO_IS_JSON_EDITOR (self));

  if (!self->valid || self->node == NULL)
    return;

  text = pretty_print (self->node);
  current = epsimo_json_editor_dup_text (self);
  if (g_str_equal (text, current))
    return;

  buffer = GTK_TEXT_BUFFER (self->buffer);
  self->frozen++;
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, -1);
  gtk_text_buffer_end_user_action (buffer);
  self->frozen--;

  on_buffer_changed (self);
}

/**
 * epsimo_json_editor_set_accessible_label:
 * @label: (nullable): what screen readers call the text area
 */
void
epsimo_json_editor_set_accessible_label (EpsimoJsonEditor *self,
                                         const char       *label)
{
  g_return_if_fail (EPSIMO_IS_JSON_EDITOR (self));

  if (g_strcmp0 (label, self->accessible_label) == 0)
    return;

  g_free (self->accessible_label);
  self->accessible_label = g_strdup (label);
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESSIBLE_LABEL]);
}
