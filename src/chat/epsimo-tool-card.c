/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-tool-card"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>

#include "api/epsimo-json.h"

#include "epsimo-tool-card.h"

#define SUMMARY_MAX_CHARS 120

struct _EpsimoToolCard
{
  AdwBin          parent_instance;

  EpsimoToolCall *call;
  gulong          notify_id;

  GtkWidget      *header_button;
  GtkLabel       *name_label;
  GtkLabel       *summary_label;
  GtkSpinner     *status_spinner;
  GtkImage       *status_icon;
  GtkLabel       *status_label;
  GtkImage       *arrow_icon;
  GtkRevealer    *revealer;
  AdwBin         *arguments_bin;
  GtkWidget      *result_title;
  AdwBin         *result_bin;
};

G_DEFINE_FINAL_TYPE (EpsimoToolCard, epsimo_tool_card, ADW_TYPE_BIN)

/* Pretty JSON when @text is JSON (then *@is_json), else @text as it is. */
static char *
pretty_json (const char *text,
             gboolean   *is_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;

  *is_json = FALSE;
  if (text == NULL)
    return g_strdup ("");
  if (!epsimo_json_parser_load (parser, text, -1, NULL)
      || json_parser_get_root (parser) == NULL)
    return g_strdup (text);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, json_parser_get_root (parser));
  *is_json = TRUE;
  return json_generator_to_data (generator, NULL);
}

/* One line: `key: value, key: value` for an object, the compact JSON or text otherwise. */
static char *
summarize (const char *arguments)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  JsonNode *root;

  if (arguments == NULL || *arguments == '\0')
    return g_strdup ("");

  if (!epsimo_json_parser_load (parser, arguments, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL)
    g_string_append (out, arguments);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, json_node_get_object (root));
      while (json_object_iter_next_ordered (&iter, &name, &value))
        {
          g_autofree char *compact = json_to_string (value, FALSE);

          if (out->len > 0)
            g_string_append (out, ", ");
          g_string_append_printf (out, "%s: %s", name, compact);
          if (out->len > SUMMARY_MAX_CHARS * 4)
            break;
        }
    }
  else
    {
      g_autofree char *compact = json_to_string (root, FALSE);

      g_string_append (out, compact);
    }

  g_strdelimit (out->str, "\n\r\t", ' ');
  if (g_utf8_strlen (out->str, -1) > SUMMARY_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (out->str, 0, SUMMARY_MAX_CHARS);

      return g_strconcat (cut, "…", NULL);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkSourceStyleScheme *
current_scheme (void)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  return gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
}

/* The details are built on first expansion: a collapsed card costs two labels. */
static void
show_text (AdwBin     *bin,
           const char *text,
           const char *accessible_label)
{
  GtkWidget *view = adw_bin_get_child (bin);
  GtkTextBuffer *buffer;
  g_autofree char *pretty = NULL;
  gboolean is_json;

  if (view == NULL)
    {
      GtkSourceBuffer *source_buffer = gtk_source_buffer_new (NULL);

      view = gtk_source_view_new_with_buffer (source_buffer);
      g_object_unref (source_buffer);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
      gtk_widget_add_css_class (view, "epsimo-tool-card-text");
      gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
      adw_bin_set_child (bin, view);
    }

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  pretty = pretty_json (text, &is_json);
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer), current_scheme ());
  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (buffer),
                                  is_json ? gtk_source_language_manager_get_language (
                                              gtk_source_language_manager_get_default (), "json")
                                          : NULL);
  gtk_text_buffer_set_text (buffer, pretty, -1);
}

static void
update_details (EpsimoToolCard *self)
{
  const char *result;

  if (self->call == NULL || !epsimo_tool_call_get_expanded (self->call))
    return;

  show_text (self->arguments_bin, epsimo_tool_call_get_arguments (self->call), _("Arguments"));
  result = epsimo_tool_call_get_result (self->call);
  gtk_widget_set_visible (self->result_title, result != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_bin), result != NULL);
  if (result != NULL)
    show_text (self->result_bin, result, _("Result"));
}

static void
update (EpsimoToolCard *self)
{
  EpsimoToolCallStatus status;
  const char *status_text;
  const char *name;
  gboolean expanded;
  g_autofree char *summary = NULL;
  g_autofree char *accessible = NULL;

  if (self->call == NULL)
    return;

  name = epsimo_tool_call_get_name (self->call);
  status = epsimo_tool_call_get_status (self->call);
  expanded = epsimo_tool_call_get_expanded (self->call);
  summary = summarize (epsimo_tool_call_get_arguments (self->call));

  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->summary_label, summary);

  switch (status)
    {
    case EPSIMO_TOOL_CALL_DONE:
      status_text = _("Done");
      gtk_image_set_from_icon_name (self->status_icon, "object-select-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "success");
      break;

    case EPSIMO_TOOL_CALL_FAILED:
      status_text = _("Failed");
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
      break;

    case EPSIMO_TOOL_CALL_RUNNING:
    default:
      status_text = _("Running…");
      break;
    }

  gtk_label_set_text (self->status_label, status_text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), status == EPSIMO_TOOL_CALL_RUNNING);
  gtk_spinner_set_spinning (self->status_spinner, status == EPSIMO_TOOL_CALL_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), status != EPSIMO_TOOL_CALL_RUNNING);

  gtk_image_set_from_icon_name (self->arrow_icon, expanded ? "pan-down-symbolic"
                                                           : "pan-end-symbolic");
  gtk_revealer_set_reveal_child (self->revealer, expanded);

  /* Translators: a tool call card: the tool's name and its status ("Done") */
  accessible = g_strdup_printf (_("Tool %s: %s"), name, status_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->header_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->header_button),
                               GTK_ACCESSIBLE_STATE_EXPANDED, expanded, -1);
  gtk_widget_set_tooltip_text (self->header_button,
                               expanded ? _("Hide Arguments and Result")
                                        : _("Show Arguments and Result"));

  update_details (self);
}

static void
on_header_clicked (EpsimoToolCard *self)
{
  if (self->call != NULL)
    epsimo_tool_call_set_expanded (self->call, !epsimo_tool_call_get_expanded (self->call));
}

static void
epsimo_tool_card_dispose (GObject *object)
{
  EpsimoToolCard *self = (EpsimoToolCard *)object;

  epsimo_tool_card_set_call (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_TOOL_CARD);

  G_OBJECT_CLASS (epsimo_tool_card_parent_class)->dispose (object);
}

static void
epsimo_tool_card_class_init (EpsimoToolCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_tool_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/chat/"
                                               "epsimo-tool-card.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, header_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, summary_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, status_icon);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, status_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, arrow_icon);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, arguments_bin);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, result_title);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolCard, result_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_header_clicked);

  gtk_source_init ();
}

static void
epsimo_tool_card_init (EpsimoToolCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
epsimo_tool_card_new (void)
{
  return g_object_new (EPSIMO_TYPE_TOOL_CARD, NULL);
}

void
epsimo_tool_card_set_call (EpsimoToolCard *self,
                           EpsimoToolCall *call)
{
  g_return_if_fail (EPSIMO_IS_TOOL_CARD (self));
  g_return_if_fail (call == NULL || EPSIMO_IS_TOOL_CALL (call));

  if (self->call == call)
    return;

  if (self->call != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->call);
      g_clear_object (&self->call);
    }

  if (call == NULL)
    return;

  self->call = g_object_ref (call);
  self->notify_id = g_signal_connect_swapped (call, "notify", G_CALLBACK (update), self);
  /* A recycled card shows its new call at once, without sliding. */
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_NONE);
  update (self);
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
}

EpsimoToolCall *
epsimo_tool_card_get_call (EpsimoToolCard *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_CARD (self), NULL);

  return self->call;
}
