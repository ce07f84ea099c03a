/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-tool-row"

#include "config.h"

#include <glib/gi18n.h>

#include "widgets/epsimo-json-editor.h"

#include "epsimo-catalogue-entry.h"
#include "epsimo-schema-builder.h"
#include "epsimo-schema.h"
#include "epsimo-tool-row.h"

struct _EpsimoToolRow
{
  AdwExpanderRow       parent_instance;

  EpsimoTool          *tool;
  gboolean             is_function;
  gboolean             loading;      /* showing the tool: not the user's edit */
  gboolean             syncing;      /* the builder and the JSON editor following each other */
  gboolean             name_taken;
  char                *problem;

  GtkWidget           *problem_icon;
  GtkWidget           *remove_button;
  AdwActionRow        *description_row;
  GtkWidget           *max_results_row;
  GtkSpinButton       *max_results_spin;
  GtkWidget           *top_k_row;
  GtkSpinButton       *top_k_spin;
  GtkWidget           *score_row;
  GtkSpinButton       *score_spin;
  GtkWidget           *fn_name_row;
  GtkWidget           *fn_name_error_row;
  GtkLabel            *fn_name_error;
  GtkWidget           *fn_description_row;
  GtkWidget           *parameters_row;
  EpsimoSchemaBuilder *builder;
  GtkWidget           *builder_note;
  EpsimoJsonEditor    *schema_editor;
};

G_DEFINE_FINAL_TYPE (EpsimoToolRow, epsimo_tool_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
function_name (EpsimoToolRow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->fn_name_row));
}

/* What the list calls the tool: the function's name, else the tool's (translated when it
 * is the built-in English name). */
static char *
dup_title (EpsimoToolRow *self)
{
  const char *type = epsimo_tool_get_tool_type (self->tool);
  const char *name = epsimo_tool_get_name (self->tool);
  const char *type_title = epsimo_catalogue_type_get_title (type);

  if (self->is_function)
    {
      if (*function_name (self) == '\0')
        return g_strdup (_("Unnamed Function"));
      return g_strdup (function_name (self));
    }

  if (name == NULL || *name == '\0' || g_str_equal (g_dgettext (GETTEXT_PACKAGE, name),
                                                    type_title))
    return g_strdup (type_title);
  return g_strdup (name);
}

static char *
dup_summary (EpsimoToolRow *self)
{
  const char *type = epsimo_tool_get_tool_type (self->tool);
  EpsimoToolSettings settings = epsimo_tool_type_get_settings (type);

  if (self->is_function)
    {
      guint n = epsimo_schema_builder_get_n_rows (self->builder);

      /* TRANSLATORS: the subtitle of a function tool */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Function · %u parameter",
                                           "Function · %u parameters", n), n);
    }
  if (settings & EPSIMO_TOOL_SETTING_MAX_RESULTS)
    {
      int n = epsimo_tool_get_max_results (self->tool);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Up to %d result",
                                           "Up to %d results", n), n);
    }
  if (settings & EPSIMO_TOOL_SETTING_TOP_K)
    {
      int n = epsimo_tool_get_top_k (self->tool);
      char score[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (score, sizeof score, "%.2f", epsimo_tool_get_score_threshold (self->tool));
      /* TRANSLATORS: the subtitle of a retrieval tool; %s is a number from 0 to 1 */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d passage, minimum relevance %s",
                                           "%d passages, minimum relevance %s", n), n, score);
    }

  return g_strdup (epsimo_catalogue_type_get_title (type));
}

static void
update_title (EpsimoToolRow *self)
{
  g_autofree char *title = dup_title (self);
  g_autofree char *summary = dup_summary (self);
  g_autofree char *remove_label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), summary);

  /* TRANSLATORS: %s is the name of a tool of an assistant */
  remove_label = g_strdup_printf (_("Remove “%s”"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
}

static char *
dup_name_problem (EpsimoToolRow *self)
{
  const char *name = function_name (self);

  if (!self->is_function)
    return NULL;
  if (*name == '\0')
    return g_strdup (_("Enter a name for the function."));
  if (!epsimo_schema_is_identifier (name))
    return g_strdup (_("Use only letters, digits and underscores, and do not start with a "
                       "digit."));
  if (self->name_taken)
    return g_strdup (_("Another function of this assistant has this name."));
  return NULL;
}

static void
update_problem (EpsimoToolRow *self)
{
  g_autofree char *name_problem = NULL;
  g_autofree char *title = NULL;
  g_autofree char *location = NULL;
  char *problem = NULL;
  const char *schema_problem = NULL;

  /* The template connects this before there is a tool to show. */
  if (self->tool == NULL)
    return;

  name_problem = dup_name_problem (self);
  title = dup_title (self);

  gtk_label_set_text (self->fn_name_error, name_problem != NULL ? name_problem : "");
  gtk_widget_set_visible (self->fn_name_error_row, name_problem != NULL);
  if (name_problem != NULL)
    gtk_widget_add_css_class (self->fn_name_row, "error");
  else
    gtk_widget_remove_css_class (self->fn_name_row, "error");

  if (self->is_function)
    {
      schema_problem = epsimo_json_editor_get_error (self->schema_editor);
      if (schema_problem == NULL)
        schema_problem = epsimo_schema_builder_get_problem (self->builder);
    }

  if (self->is_function && *function_name (self) != '\0')
    /* TRANSLATORS: where a problem is, e.g. Function “lookup” */
    location = g_strdup_printf (_("Function “%s”"), function_name (self));
  else
    location = g_strdup (title);

  if (name_problem != NULL)
    /* TRANSLATORS: where, then what: “Unnamed Function: Enter a name for the function.” */
    problem = g_strdup_printf (_("%s: %s"), location, name_problem);
  else if (schema_problem != NULL)
    /* TRANSLATORS: e.g. “Function “lookup”, parameters: Line 3, column 5: …” */
    problem = g_strdup_printf (_("%s, parameters: %s"), location, schema_problem);

  gtk_widget_set_visible (self->problem_icon, problem != NULL);
  gtk_widget_set_tooltip_text (self->problem_icon, problem);

  if (g_strcmp0 (problem, self->problem) != 0)
    {
      g_free (self->problem);
      self->problem = problem;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
  else
    g_free (problem);
}

static void
emit_changed (EpsimoToolRow *self)
{
  update_title (self);
  update_problem (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_setting_changed (EpsimoToolRow *self,
                    GtkWidget     *widget)
{
  if (self->loading)
    return;

  if (widget == GTK_WIDGET (self->max_results_spin))
    epsimo_tool_set_max_results (self->tool,
                                 gtk_spin_button_get_value_as_int (self->max_results_spin));
  else if (widget == GTK_WIDGET (self->top_k_spin))
    epsimo_tool_set_top_k (self->tool, gtk_spin_button_get_value_as_int (self->top_k_spin));
  else if (widget == GTK_WIDGET (self->score_spin))
    epsimo_tool_set_score_threshold (self->tool, gtk_spin_button_get_value (self->score_spin));
  else if (widget == self->fn_name_row)
    epsimo_tool_set_name (self->tool, function_name (self));
  else if (widget == self->fn_description_row)
    epsimo_tool_set_description (self->tool,
                                 gtk_editable_get_text (GTK_EDITABLE (self->fn_description_row)));

  emit_changed (self);
}

static void
on_builder_changed (EpsimoToolRow *self)
{
  g_autoptr(JsonObject) schema = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (self->loading || self->syncing)
    return;

  /* An unnamed or twice-named parameter cannot be written: the schema stays as it was
   * until the builder is right again. */
  if (epsimo_schema_builder_get_problem (self->builder) == NULL)
    {
      schema = epsimo_schema_builder_dup_schema (self->builder);
      epsimo_tool_set_parameters (self->tool, schema);

      node = json_node_init_object (json_node_alloc (), schema);
      self->syncing = TRUE;
      epsimo_json_editor_set_node (self->schema_editor, node);
      self->syncing = FALSE;
    }

  emit_changed (self);
}

static void
on_schema_changed (EpsimoToolRow *self)
{
  g_autoptr(JsonNode) node = NULL;
  gboolean valid;

  if (self->loading || self->syncing)
    return;

  node = epsimo_json_editor_dup_node (self->schema_editor);
  valid = node != NULL;

  /* The builder would overwrite text it cannot show: it waits for a valid schema. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->builder), valid);
  gtk_widget_set_visible (self->builder_note, !valid);

  if (valid)
    {
      JsonObject *schema = json_node_get_object (node);

      epsimo_tool_set_parameters (self->tool, schema);
      self->syncing = TRUE;
      epsimo_schema_builder_set_schema (self->builder, schema);
      self->syncing = FALSE;
    }

  emit_changed (self);
}

static void
on_format_clicked (EpsimoToolRow *self)
{
  epsimo_json_editor_format (self->schema_editor);
}

static void
on_remove_clicked (EpsimoToolRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
epsimo_tool_row_dispose (GObject *object)
{
  EpsimoToolRow *self = (EpsimoToolRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_TOOL_ROW);
  g_clear_object (&self->tool);

  G_OBJECT_CLASS (epsimo_tool_row_parent_class)->dispose (object);
}

static void
epsimo_tool_row_finalize (GObject *object)
{
  EpsimoToolRow *self = (EpsimoToolRow *)object;

  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (epsimo_tool_row_parent_class)->finalize (object);
}

static void
epsimo_tool_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EpsimoToolRow *self = EPSIMO_TOOL_ROW (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_tool_row_class_init (EpsimoToolRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_tool_row_dispose;
  object_class->finalize = epsimo_tool_row_finalize;
  object_class->get_property = epsimo_tool_row_get_property;

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (EPSIMO_TYPE_SCHEMA_BUILDER);
  g_type_ensure (EPSIMO_TYPE_JSON_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/assistants/"
                                               "epsimo-tool-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, problem_icon);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, description_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, max_results_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, max_results_spin);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, top_k_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, top_k_spin);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, score_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, score_spin);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, fn_name_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, fn_name_error_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, fn_name_error);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, fn_description_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, parameters_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, builder);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, builder_note);
  gtk_widget_class_bind_template_child (widget_class, EpsimoToolRow, schema_editor);
  gtk_widget_class_bind_template_callback (widget_class, on_setting_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_builder_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_schema_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_format_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, update_problem);
}

static void
epsimo_tool_row_init (EpsimoToolRow *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  epsimo_json_editor_set_validator (self->schema_editor, epsimo_schema_validate, NULL, NULL);
  self->loading = FALSE;
}

static void
show_tool (EpsimoToolRow *self)
{
  EpsimoTool *tool = self->tool;
  EpsimoToolSettings settings = epsimo_tool_type_get_settings (epsimo_tool_get_tool_type (tool));
  const char *description = epsimo_tool_get_description (tool);

  self->loading = TRUE;

  self->is_function = g_str_equal (epsimo_tool_get_tool_type (tool), "function");

  gtk_widget_set_visible (GTK_WIDGET (self->description_row), !self->is_function);
  adw_action_row_set_subtitle (self->description_row,
                               description != NULL && *description != '\0'
                               ? description : _("No description"));

  gtk_widget_set_visible (self->max_results_row,
                          (settings & EPSIMO_TOOL_SETTING_MAX_RESULTS) != 0);
  gtk_spin_button_set_value (self->max_results_spin, epsimo_tool_get_max_results (tool));
  gtk_widget_set_visible (self->top_k_row, (settings & EPSIMO_TOOL_SETTING_TOP_K) != 0);
  gtk_spin_button_set_value (self->top_k_spin, epsimo_tool_get_top_k (tool));
  gtk_widget_set_visible (self->score_row, (settings & EPSIMO_TOOL_SETTING_SCORE_THRESHOLD) != 0);
  gtk_spin_button_set_value (self->score_spin, epsimo_tool_get_score_threshold (tool));

  gtk_widget_set_visible (self->fn_name_row, self->is_function);
  gtk_widget_set_visible (self->fn_description_row, self->is_function);
  gtk_widget_set_visible (self->parameters_row, self->is_function);

  if (self->is_function)
    {
      JsonObject *parameters = epsimo_tool_get_parameters (tool);
      g_autoptr(JsonObject) empty = NULL;
      g_autoptr(JsonNode) node = NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->fn_name_row),
                             epsimo_tool_get_name (tool) ? epsimo_tool_get_name (tool) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->fn_description_row),
                             description != NULL ? description : "");

      if (parameters == NULL)
        {
          empty = json_object_new ();
          json_object_set_string_member (empty, "type", "object");
          json_object_set_object_member (empty, "properties", json_object_new ());
          parameters = empty;
        }

      node = json_node_init_object (json_node_alloc (), parameters);
      epsimo_json_editor_set_node (self->schema_editor, node);
      epsimo_schema_builder_set_schema (self->builder, parameters);
      gtk_widget_set_sensitive (GTK_WIDGET (self->builder),
                                epsimo_json_editor_get_valid (self->schema_editor));
      gtk_widget_set_visible (self->builder_note,
                              !epsimo_json_editor_get_valid (self->schema_editor));
    }

  self->loading = FALSE;

  update_title (self);
  update_problem (self);
}

GtkWidget *
epsimo_tool_row_new (EpsimoTool *tool)
{
  EpsimoToolRow *self;

  g_return_val_if_fail (EPSIMO_IS_TOOL (tool), NULL);

  self = g_object_new (EPSIMO_TYPE_TOOL_ROW, NULL);
  self->tool = g_object_ref (tool);
  show_tool (self);

  return GTK_WIDGET (self);
}

EpsimoTool *
epsimo_tool_row_get_tool (EpsimoToolRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_ROW (self), NULL);

  return self->tool;
}

const char *
epsimo_tool_row_get_problem (EpsimoToolRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_ROW (self), NULL);

  return self->problem;
}

void
epsimo_tool_row_set_name_taken (EpsimoToolRow *self,
                                gboolean       name_taken)
{
  g_return_if_fail (EPSIMO_IS_TOOL_ROW (self));

  name_taken = !!name_taken;
  if (self->name_taken == name_taken)
    return;

  self->name_taken = name_taken;
  update_problem (self);
}

void
epsimo_tool_row_focus (EpsimoToolRow *self)
{
  g_return_if_fail (EPSIMO_IS_TOOL_ROW (self));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  if (self->is_function)
    {
      g_autofree char *name_problem = dup_name_problem (self);

      if (name_problem != NULL || epsimo_json_editor_get_valid (self->schema_editor))
        gtk_widget_grab_focus (self->fn_name_row);
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->schema_editor));
    }
}
