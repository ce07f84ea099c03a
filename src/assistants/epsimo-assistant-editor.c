/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-assistant-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "api/epsimo-api-error.h"
#include "widgets/epsimo-error-banner.h"

#include "epsimo-assistant-editor.h"
#include "epsimo-catalogue-entry.h"
#include "epsimo-tool-row.h"

/* The fields a 422 can point at, each with its own place in the form. */
typedef enum
{
  FIELD_NAME,
  FIELD_MODEL,
  FIELD_PUBLIC,
  FIELD_INSTRUCTIONS,
  FIELD_TOOLS,
  N_FIELDS,
  FIELD_UNKNOWN = N_FIELDS,
} Field;

struct _EpsimoAssistantEditor
{
  AdwBin             parent_instance;

  EpsimoSession     *session;
  char              *project_id;
  EpsimoAssistant   *original;
  EpsimoAssistant   *draft;
  GCancellable      *cancellable;

  /* Every edit by the user counts; the draft is saved as of saved_generation. */
  guint              generation;
  guint              saved_generation;
  gboolean           editing;
  gboolean           loading;
  gboolean           saving;
  gboolean           name_touched;
  gboolean           dirty;
  gboolean           can_save;
  char              *problem;
  char              *server_errors[N_FIELDS];

  GtkNoSelection    *catalogue_selection;
  GtkSourceBuffer   *instructions_buffer;

  GtkLabel          *title_label;
  GtkWidget         *unsaved_label;
  GtkWidget         *save_button;
  GtkSpinner        *save_spinner;
  EpsimoErrorBanner *banner;
  GtkLabel          *save_hint;
  GtkWidget         *scroller;
  GtkWidget         *name_row;
  GtkWidget         *model_row;
  GtkWidget         *public_row;
  GtkSwitch         *public_switch;
  GtkLabel          *name_error;
  GtkLabel          *model_error;
  GtkLabel          *public_error;
  GtkLabel          *char_count_label;
  GtkWidget         *instructions_frame;
  GtkSourceView     *instructions_view;
  GtkLabel          *instructions_error;
  GtkWidget         *add_tool_button;
  GtkListBox        *tools_list;
  GtkLabel          *tools_error;
  GtkPopover        *catalogue_popover;
  GtkListView       *catalogue_view;
};

G_DEFINE_FINAL_TYPE (EpsimoAssistantEditor, epsimo_assistant_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DIRTY,
  PROP_CAN_SAVE,
  PROP_SAVING,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_state (EpsimoAssistantEditor *self);

/* Which part of the form a server's `field` is about ("name", "config.model",
 * "config.configurable" with a live key, "config.tools", ...). */
static Field
field_from_server (const char *field)
{
  if (field == NULL || *field == '\0')
    return FIELD_UNKNOWN;
  if (g_str_equal (field, "name"))
    return FIELD_NAME;
  if (g_str_equal (field, "public"))
    return FIELD_PUBLIC;
  if (g_str_has_suffix (field, "model"))
    return FIELD_MODEL;
  if (g_str_has_suffix (field, "instructions") || strstr (field, "system_message") != NULL)
    return FIELD_INSTRUCTIONS;
  if (strstr (field, "tools") != NULL ||
      g_str_equal (field, "config") || g_str_has_prefix (field, "config."))
    return FIELD_TOOLS;
  return FIELD_UNKNOWN;
}

static GtkWidget *
field_widget (EpsimoAssistantEditor *self,
              Field                  field)
{
  switch (field)
    {
    case FIELD_NAME: return self->name_row;
    case FIELD_MODEL: return self->model_row;
    case FIELD_PUBLIC: return self->public_row;
    case FIELD_INSTRUCTIONS: return self->instructions_frame;
    case FIELD_TOOLS: return GTK_WIDGET (self->tools_list);
    case N_FIELDS:
    default: return NULL;
    }
}

static GtkLabel *
field_label (EpsimoAssistantEditor *self,
             Field                  field)
{
  switch (field)
    {
    case FIELD_NAME: return self->name_error;
    case FIELD_MODEL: return self->model_error;
    case FIELD_PUBLIC: return self->public_error;
    case FIELD_INSTRUCTIONS: return self->instructions_error;
    case FIELD_TOOLS: return self->tools_error;
    case N_FIELDS:
    default: return NULL;
    }
}

static void
show_field_error (EpsimoAssistantEditor *self,
                  Field                  field,
                  const char            *message)
{
  GtkWidget *widget = field_widget (self, field);
  GtkLabel *label = field_label (self, field);

  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
clear_server_error (EpsimoAssistantEditor *self,
                    Field                  field)
{
  g_clear_pointer (&self->server_errors[field], g_free);
}

static void
clear_server_errors (EpsimoAssistantEditor *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    clear_server_error (self, i);
  epsimo_error_banner_hide (self->banner);
}

static char *
dup_trimmed (GtkWidget *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static EpsimoToolRow *
get_tool_row (EpsimoAssistantEditor *self,
              guint                  position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->tools_list, (int) position);

  return row != NULL && EPSIMO_IS_TOOL_ROW (row) ? EPSIMO_TOOL_ROW (row) : NULL;
}

/* A function's name must be unique within the assistant: the model calls it by name. */
static void
check_function_names (EpsimoAssistantEditor *self)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  EpsimoToolRow *row;

  for (guint i = 0; (row = get_tool_row (self, i)) != NULL; i++)
    {
      EpsimoTool *tool = epsimo_tool_row_get_tool (row);
      const char *name = epsimo_tool_get_name (tool);

      if (g_str_equal (epsimo_tool_get_tool_type (tool), "function") && name != NULL && *name)
        g_hash_table_insert (counts, (gpointer) name,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts,
                                                                                      name))
                                               + 1));
    }

  for (guint i = 0; (row = get_tool_row (self, i)) != NULL; i++)
    {
      EpsimoTool *tool = epsimo_tool_row_get_tool (row);
      const char *name = epsimo_tool_get_name (tool);
      gboolean taken = FALSE;

      if (g_str_equal (epsimo_tool_get_tool_type (tool), "function") && name != NULL && *name)
        taken = GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) > 1;
      epsimo_tool_row_set_name_taken (row, taken);
    }
}

static void
set_boolean (EpsimoAssistantEditor *self,
             gboolean              *field,
             gboolean               value,
             guint                  prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_state (EpsimoAssistantEditor *self)
{
  g_autofree char *name = NULL;
  g_autofree char *model = NULL;
  g_autofree char *hint = NULL;
  const char *local[N_FIELDS] = { NULL };
  const char *problem = NULL;
  const char *title;
  EpsimoToolRow *row;

  if (!self->editing)
    return;

  name = dup_trimmed (self->name_row);
  model = dup_trimmed (self->model_row);

  if (*name == '\0')
    local[FIELD_NAME] = _("Enter a name for the assistant.");
  if (*model == '\0')
    local[FIELD_MODEL] = _("Enter a model, such as gpt-4o.");

  problem = local[FIELD_NAME] != NULL ? local[FIELD_NAME] : local[FIELD_MODEL];
  for (guint i = 0; problem == NULL && (row = get_tool_row (self, i)) != NULL; i++)
    problem = epsimo_tool_row_get_problem (row);

  /* An empty name is only worth pointing at once the user has been there. */
  if (!self->name_touched && self->original == NULL)
    local[FIELD_NAME] = NULL;

  for (Field field = 0; field < N_FIELDS; field++)
    show_field_error (self, field,
                      self->server_errors[field] ? self->server_errors[field] : local[field]);

  if (g_strcmp0 (problem, self->problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }

  if (problem != NULL)
    /* TRANSLATORS: %s says what is wrong and where, e.g. “Enter a name for the assistant.” */
    hint = g_strdup_printf (_("Cannot save: %s"), problem);
  gtk_label_set_text (self->save_hint, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->save_hint), hint != NULL);
  gtk_widget_set_tooltip_text (self->save_button, hint != NULL ? hint : _("Save (Ctrl+S)"));

  if (*name != '\0')
    title = name;
  else
    title = self->original != NULL ? _("Unnamed Assistant") : _("New Assistant");
  gtk_label_set_text (self->title_label, title);

  set_boolean (self, &self->dirty, self->generation != self->saved_generation, PROP_DIRTY);
  gtk_widget_set_visible (self->unsaved_label, self->dirty);
  set_boolean (self, &self->can_save, !self->saving && problem == NULL, PROP_CAN_SAVE);
}

/* The user changed something. */
static void
edited (EpsimoAssistantEditor *self)
{
  if (self->loading || !self->editing)
    return;

  self->generation++;
  update_state (self);
}

static void
on_name_changed (EpsimoAssistantEditor *self)
{
  if (self->loading || !self->editing)
    return;

  self->name_touched = TRUE;
  clear_server_error (self, FIELD_NAME);
  epsimo_assistant_set_name (self->draft, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  edited (self);
}

static void
on_model_changed (EpsimoAssistantEditor *self)
{
  g_autofree char *model = NULL;

  if (self->loading || !self->editing)
    return;

  model = dup_trimmed (self->model_row);
  clear_server_error (self, FIELD_MODEL);
  /* An empty model is refused before saving, not replaced by the default behind the
   * user's back. */
  if (*model != '\0')
    epsimo_assistant_set_model (self->draft, model);
  edited (self);
}

static void
on_public_changed (EpsimoAssistantEditor *self)
{
  if (self->loading || !self->editing)
    return;

  clear_server_error (self, FIELD_PUBLIC);
  epsimo_assistant_set_public (self->draft, gtk_switch_get_active (self->public_switch));
  edited (self);
}

static void
update_char_count (EpsimoAssistantEditor *self)
{
  int n = gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (self->instructions_buffer));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d character",
                                                        "%d characters", n), n);

  gtk_label_set_text (self->char_count_label, text);
}

static void
on_instructions_changed (EpsimoAssistantEditor *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  update_char_count (self);
  if (self->loading || !self->editing)
    return;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->instructions_buffer), &start, &end);
  text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->instructions_buffer), &start, &end,
                                   TRUE);
  clear_server_error (self, FIELD_INSTRUCTIONS);
  epsimo_assistant_set_instructions (self->draft, text);
  edited (self);
}

static void
on_tool_changed (EpsimoAssistantEditor *self)
{
  clear_server_error (self, FIELD_TOOLS);
  check_function_names (self);
  edited (self);
}

static void
on_tool_remove (EpsimoToolRow         *row,
                EpsimoAssistantEditor *self)
{
  int position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (position < 0 || self->draft == NULL)
    return;

  clear_server_error (self, FIELD_TOOLS);
  epsimo_assistant_remove_tool (self->draft, (guint) position);
  edited (self);
}

static GtkWidget *
create_tool_row (gpointer item,
                 gpointer user_data)
{
  EpsimoAssistantEditor *self = user_data;
  GtkWidget *row = epsimo_tool_row_new (EPSIMO_TOOL (item));

  g_signal_connect_object (row, "changed", G_CALLBACK (on_tool_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_tool_remove), self, 0);
  g_signal_connect_object (row, "notify::problem", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  return row;
}

static void
on_tools_items_changed (EpsimoAssistantEditor *self)
{
  check_function_names (self);
  update_state (self);
}

static void
update_style_scheme (EpsimoAssistantEditor *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (self->instructions_buffer, scheme);
}

static void
set_saving (EpsimoAssistantEditor *self,
            gboolean               saving)
{
  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), saving);
  gtk_spinner_set_spinning (self->save_spinner, saving);
  set_boolean (self, &self->saving, saving, PROP_SAVING);
  update_state (self);
}

/* Shows the draft in the form. @expanded: which tool rows to open (by position). */
static void
show_draft (EpsimoAssistantEditor *self,
            GArray                *expanded)
{
  GListModel *tools = epsimo_assistant_get_tools (self->draft);
  const char *instructions = epsimo_assistant_get_instructions (self->draft);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->instructions_buffer);
  GtkTextIter start, end;
  g_autofree char *current = NULL;
  EpsimoToolRow *row;

  self->loading = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         epsimo_assistant_get_name (self->draft)
                         ? epsimo_assistant_get_name (self->draft) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), epsimo_assistant_get_model (self->draft));
  gtk_switch_set_active (self->public_switch, epsimo_assistant_get_public (self->draft));

  /* Replacing the same text would move the cursor of someone typing. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  current = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  if (g_strcmp0 (current, instructions ? instructions : "") != 0)
    {
      gtk_text_buffer_begin_irreversible_action (buffer);
      gtk_text_buffer_set_text (buffer, instructions ? instructions : "", -1);
      gtk_text_buffer_end_irreversible_action (buffer);
    }

  /* A tool's settings form has state of its own (focus, a half-typed schema): a list box
   * of a handful of rows, not a recycling list view. */
  gtk_list_box_bind_model (self->tools_list, tools, create_tool_row, self, NULL);
  g_signal_connect_object (tools, "items-changed", G_CALLBACK (on_tools_items_changed), self,
                           G_CONNECT_SWAPPED);

  for (guint i = 0; expanded != NULL && i < expanded->len; i++)
    if (g_array_index (expanded, gboolean, i) && (row = get_tool_row (self, i)) != NULL)
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  self->loading = FALSE;

  update_char_count (self);
  check_function_names (self);
  update_state (self);
}

static void
drop_draft (EpsimoAssistantEditor *self)
{
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (epsimo_assistant_get_tools (self->draft), self);
  if (self->tools_list != NULL)
    gtk_list_box_bind_model (self->tools_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->draft);
}

static void
set_model_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EpsimoAssistantEditor *self = EPSIMO_ASSISTANT_EDITOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->model_row), g_variant_get_string (parameter, NULL));
}

static void
add_tool_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  epsimo_assistant_editor_add_tool (EPSIMO_ASSISTANT_EDITOR (widget),
                                    g_variant_get_string (parameter, NULL));
}

static void
on_catalogue_activate (EpsimoAssistantEditor *self,
                       guint                  position)
{
  g_autoptr(EpsimoCatalogueEntry) entry = NULL;

  entry = g_list_model_get_item (G_LIST_MODEL (self->catalogue_selection), position);
  if (entry == NULL)
    return;

  gtk_popover_popdown (self->catalogue_popover);
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.add-tool", "s",
                              epsimo_catalogue_entry_get_key (entry));
}

static void
on_banner_retry (EpsimoAssistantEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "assistants.save", NULL);
}

/* The catalogue rows: a health dot, the tool's name and what it does. */

static void
update_health (GtkWidget            *dot,
               EpsimoCatalogueEntry *entry)
{
  EpsimoToolHealth health = epsimo_catalogue_entry_get_health (entry);
  const char *message = epsimo_catalogue_entry_get_health_message (entry);
  g_autofree char *label = NULL;

  gtk_widget_set_visible (dot, health != EPSIMO_TOOL_HEALTH_UNKNOWN);
  gtk_widget_remove_css_class (dot, "success");
  gtk_widget_remove_css_class (dot, "error");

  if (health == EPSIMO_TOOL_HEALTH_HEALTHY)
    {
      gtk_widget_add_css_class (dot, "success");
      label = g_strdup (message != NULL && *message ? message : _("Working"));
    }
  else if (health == EPSIMO_TOOL_HEALTH_UNHEALTHY)
    {
      gtk_widget_add_css_class (dot, "error");
      /* TRANSLATORS: %s is the server's explanation of why a tool does not work */
      label = message != NULL && *message ? g_strdup_printf (_("Not working: %s"), message)
                                          : g_strdup (_("Not working"));
    }

  gtk_widget_set_tooltip_text (dot, label);
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (dot),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_entry_health (EpsimoCatalogueEntry *entry,
                 GParamSpec           *pspec,
                 GtkWidget            *dot)
{
  update_health (dot, entry);
}

static void
catalogue_setup (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *dot = gtk_label_new ("●");
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_valign (dot, GTK_ALIGN_START);
  gtk_widget_set_visible (dot, FALSE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 40);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");

  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), description);
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_item_set_child (item, box);
}

static void
catalogue_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  EpsimoCatalogueEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *dot = gtk_widget_get_first_child (box);
  GtkWidget *texts = gtk_widget_get_next_sibling (dot);
  GtkWidget *title = gtk_widget_get_first_child (texts);
  GtkWidget *description = gtk_widget_get_next_sibling (title);

  gtk_label_set_text (GTK_LABEL (title), epsimo_catalogue_entry_get_title (entry));
  gtk_label_set_text (GTK_LABEL (description), epsimo_catalogue_entry_get_description (entry));
  update_health (dot, entry);
  g_signal_connect_object (entry, "notify::health-message", G_CALLBACK (on_entry_health), dot, 0);
  g_signal_connect_object (entry, "notify::health", G_CALLBACK (on_entry_health), dot, 0);
}

static void
catalogue_unbind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  EpsimoCatalogueEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);

  g_signal_handlers_disconnect_by_func (entry, on_entry_health,
                                        gtk_widget_get_first_child (box));
}

static void
epsimo_assistant_editor_dispose (GObject *object)
{
  EpsimoAssistantEditor *self = (EpsimoAssistantEditor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_draft (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_ASSISTANT_EDITOR);

  g_clear_object (&self->session);
  g_clear_object (&self->original);
  g_clear_object (&self->catalogue_selection);
  g_clear_object (&self->instructions_buffer);

  G_OBJECT_CLASS (epsimo_assistant_editor_parent_class)->dispose (object);
}

static void
epsimo_assistant_editor_finalize (GObject *object)
{
  EpsimoAssistantEditor *self = (EpsimoAssistantEditor *)object;

  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->problem, g_free);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&self->server_errors[i], g_free);

  G_OBJECT_CLASS (epsimo_assistant_editor_parent_class)->finalize (object);
}

static void
epsimo_assistant_editor_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  EpsimoAssistantEditor *self = EPSIMO_ASSISTANT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    case PROP_CAN_SAVE:
      g_value_set_boolean (value, self->can_save);
      break;

    case PROP_SAVING:
      g_value_set_boolean (value, self->saving);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_assistant_editor_class_init (EpsimoAssistantEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_assistant_editor_dispose;
  object_class->finalize = epsimo_assistant_editor_finalize;
  object_class->get_property = epsimo_assistant_editor_get_property;

  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CAN_SAVE] =
    g_param_spec_boolean ("can-save", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SAVING] =
    g_param_spec_boolean ("saving", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "editor.set-model", "s", set_model_action);
  gtk_widget_class_install_action (widget_class, "editor.add-tool", "s", add_tool_action);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/assistants/"
                                               "epsimo-assistant-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, title_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, unsaved_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, save_hint);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, model_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, public_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, public_switch);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, model_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, public_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, char_count_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, instructions_frame);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, instructions_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, instructions_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, add_tool_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, tools_list);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, tools_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, catalogue_popover);
  gtk_widget_class_bind_template_child (widget_class, EpsimoAssistantEditor, catalogue_view);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_model_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_public_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_catalogue_activate);
}

static void
epsimo_assistant_editor_init (EpsimoAssistantEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  self->instructions_buffer =
    g_object_ref (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
      self->instructions_view))));
  gtk_source_buffer_set_language (self->instructions_buffer,
                                  gtk_source_language_manager_get_language (languages,
                                                                            "markdown"));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
  g_signal_connect_object (self->instructions_buffer, "changed",
                           G_CALLBACK (on_instructions_changed), self, G_CONNECT_SWAPPED);
  update_char_count (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (catalogue_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (catalogue_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (catalogue_unbind), NULL);
  self->catalogue_selection = gtk_no_selection_new (NULL);
  gtk_list_view_set_factory (self->catalogue_view, factory);
  gtk_list_view_set_model (self->catalogue_view, GTK_SELECTION_MODEL (self->catalogue_selection));
}

GtkWidget *
epsimo_assistant_editor_new (void)
{
  return g_object_new (EPSIMO_TYPE_ASSISTANT_EDITOR, NULL);
}

void
epsimo_assistant_editor_edit (EpsimoAssistantEditor *self,
                              EpsimoSession         *session,
                              const char            *project_id,
                              EpsimoAssistant       *assistant)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self));
  g_return_if_fail (EPSIMO_IS_SESSION (session));
  g_return_if_fail (project_id != NULL);
  g_return_if_fail (assistant == NULL || EPSIMO_IS_ASSISTANT (assistant));

  epsimo_assistant_editor_clear (self);

  self->session = g_object_ref (session);
  self->project_id = g_strdup (project_id);
  self->original = assistant != NULL ? g_object_ref (assistant) : NULL;
  self->draft = assistant != NULL ? epsimo_assistant_copy (assistant)
                                  : epsimo_assistant_new ("");
  self->editing = TRUE;

  show_draft (self, NULL);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
    self->scroller)), 0);
}

void
epsimo_assistant_editor_clear (EpsimoAssistantEditor *self)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  self->editing = FALSE;
  drop_draft (self);
  g_clear_object (&self->original);
  g_clear_object (&self->session);
  g_clear_pointer (&self->project_id, g_free);
  clear_server_errors (self);

  self->generation = self->saved_generation = 0;
  self->name_touched = FALSE;
  set_saving (self, FALSE);
  set_boolean (self, &self->dirty, FALSE, PROP_DIRTY);
  set_boolean (self, &self->can_save, FALSE, PROP_CAN_SAVE);
}

gboolean
epsimo_assistant_editor_is_editing (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), FALSE);

  return self->editing;
}

EpsimoAssistant *
epsimo_assistant_editor_get_original (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), NULL);

  return self->original;
}

EpsimoAssistant *
epsimo_assistant_editor_get_draft (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), NULL);

  return self->draft;
}

EpsimoSession *
epsimo_assistant_editor_get_session (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), NULL);

  return self->session;
}

const char *
epsimo_assistant_editor_get_project_id (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), NULL);

  return self->project_id;
}

gboolean
epsimo_assistant_editor_get_dirty (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), FALSE);

  return self->dirty;
}

gboolean
epsimo_assistant_editor_get_can_save (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), FALSE);

  return self->can_save;
}

gboolean
epsimo_assistant_editor_get_saving (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), FALSE);

  return self->saving;
}

const char *
epsimo_assistant_editor_get_problem (EpsimoAssistantEditor *self)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), NULL);

  return self->problem;
}

void
epsimo_assistant_editor_set_catalogue (EpsimoAssistantEditor *self,
                                       GListModel            *catalogue)
{
  g_return_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self));
  g_return_if_fail (catalogue == NULL || G_IS_LIST_MODEL (catalogue));

  gtk_no_selection_set_model (self->catalogue_selection, catalogue);
}

gboolean
epsimo_assistant_editor_add_tool (EpsimoAssistantEditor *self,
                                  const char            *key)
{
  GListModel *catalogue;
  g_autoptr(EpsimoTool) tool = NULL;
  EpsimoToolRow *row;
  guint n;

  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!self->editing)
    return FALSE;

  catalogue = G_LIST_MODEL (self->catalogue_selection);
  n = g_list_model_get_n_items (catalogue);
  for (guint i = 0; i < n && tool == NULL; i++)
    {
      g_autoptr(EpsimoCatalogueEntry) entry = g_list_model_get_item (catalogue, i);

      if (g_str_equal (epsimo_catalogue_entry_get_key (entry), key))
        tool = epsimo_catalogue_entry_create_tool (entry);
    }

  if (tool == NULL)
    {
      g_warning ("No tool “%s” in the catalogue", key);
      return FALSE;
    }

  clear_server_error (self, FIELD_TOOLS);
  epsimo_assistant_add_tool (self->draft, tool);
  edited (self);

  /* A new function needs a name at once: open it there. */
  n = g_list_model_get_n_items (epsimo_assistant_get_tools (self->draft));
  if (n > 0 && (row = get_tool_row (self, n - 1)) != NULL)
    {
      if (g_str_equal (epsimo_tool_get_tool_type (tool), "function"))
        epsimo_tool_row_focus (row);
      else
        gtk_widget_grab_focus (GTK_WIDGET (row));
    }

  return TRUE;
}

/* Saving */

typedef struct
{
  EpsimoAssistant *sent;
  guint            generation;
  gboolean         create;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->sent);
  g_free (data);
}

static void
show_save_error (EpsimoAssistantEditor *self,
                 const GError          *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION))
    {
      const char *detail = epsimo_api_error_get_detail (error);
      Field field = field_from_server (epsimo_api_error_get_field (error));

      if (detail == NULL || *detail == '\0')
        detail = error->message;

      if (field != FIELD_UNKNOWN)
        {
          g_free (self->server_errors[field]);
          self->server_errors[field] = g_strdup (detail);
          update_state (self);
          gtk_widget_grab_focus (field_widget (self, field));
          return;
        }

      /* TRANSLATORS: %s is the server's explanation */
      message = g_strdup_printf (_("The server did not accept the assistant: %s"), detail);
      epsimo_error_banner_set_show_retry (self->banner, FALSE);
    }
  else
    {
      /* TRANSLATORS: %s says why, e.g. “The server could not be reached.” */
      message = g_strdup_printf (_("The assistant could not be saved. %s"), error->message);
      epsimo_error_banner_set_show_retry (self->banner, TRUE);
    }

  epsimo_error_banner_set_message (self->banner, message);
  epsimo_error_banner_reveal (self->banner);
}

/* Copies the ids the server gave new tools onto the draft, so the next save updates the
 * same tools rather than replacing them. */
static void
adopt_tool_ids (EpsimoAssistant *draft,
                EpsimoAssistant *saved)
{
  GListModel *draft_tools = epsimo_assistant_get_tools (draft);
  GListModel *saved_tools = epsimo_assistant_get_tools (saved);
  guint n = MIN (g_list_model_get_n_items (draft_tools), g_list_model_get_n_items (saved_tools));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoTool) mine = g_list_model_get_item (draft_tools, i);
      g_autoptr(EpsimoTool) theirs = g_list_model_get_item (saved_tools, i);

      if (epsimo_tool_get_id (mine) == NULL &&
          g_str_equal (epsimo_tool_get_tool_type (mine), epsimo_tool_get_tool_type (theirs)))
        epsimo_tool_set_id (mine, epsimo_tool_get_id (theirs));
    }
}

static void
save_done (GTask           *task,
           EpsimoAssistant *saved,
           GError          *error)
{
  EpsimoAssistantEditor *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);

  if (error != NULL)
    {
      /* Cancelled: the editor was cleared or is going away; leave it alone. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_saving (self, FALSE);
          show_save_error (self, error);
        }
      g_task_return_error (task, error);
      return;
    }

  g_set_object (&self->original, saved);

  if (self->generation == data->generation)
    {
      g_autoptr(GArray) expanded = g_array_new (FALSE, FALSE, sizeof (gboolean));
      EpsimoToolRow *row;

      /* Nothing changed meanwhile: edit what the server has now (its ids, its extras). */
      for (guint i = 0; (row = get_tool_row (self, i)) != NULL; i++)
        {
          gboolean is_expanded = adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row));

          g_array_append_val (expanded, is_expanded);
        }

      drop_draft (self);
      self->draft = epsimo_assistant_copy (saved);
      show_draft (self, expanded);
    }
  else
    adopt_tool_ids (self->draft, saved);

  self->saved_generation = data->generation;
  set_saving (self, FALSE);
  g_task_return_pointer (task, g_object_ref (saved), g_object_unref);
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EpsimoAssistant) created = NULL;
  GError *error = NULL;

  created = epsimo_assistants_service_create_finish (EPSIMO_ASSISTANTS_SERVICE (source), result,
                                                     &error);
  save_done (task, created, error);
}

static void
update_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!epsimo_assistants_service_update_finish (EPSIMO_ASSISTANTS_SERVICE (source), result,
                                                &error))
    save_done (task, NULL, error);
  else
    save_done (task, data->sent, NULL);
}

void
epsimo_assistant_editor_save_async (EpsimoAssistantEditor *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  EpsimoAssistantsService *service;
  SaveData *data;

  g_return_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_assistant_editor_save_async);

  if (!self->editing || self->saving || self->problem != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                               self->problem != NULL ? self->problem
                                                     : _("The assistant cannot be saved now."));
      return;
    }

  data = g_new0 (SaveData, 1);
  data->sent = epsimo_assistant_copy (self->draft);
  data->generation = self->generation;
  data->create = self->original == NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  clear_server_errors (self);
  set_saving (self, TRUE);

  service = epsimo_session_get_assistants (self->session);
  if (data->create)
    epsimo_assistants_service_create_async (service, self->project_id, data->sent,
                                            self->cancellable, create_cb, g_steal_pointer (&task));
  else
    epsimo_assistants_service_update_async (service, self->project_id, data->sent,
                                            self->cancellable, update_cb, g_steal_pointer (&task));
}

EpsimoAssistant *
epsimo_assistant_editor_save_finish (EpsimoAssistantEditor  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (EPSIMO_IS_ASSISTANT_EDITOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_assistant_editor_save_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
