/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-parameter-row"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-json.h"

#include "epsimo-parameter-row.h"

/* The order of the type menu in the template; the last one means "no type member". */
static const char * const types[] = {
  "string", "number", "integer", "boolean", "object", "array",
};
#define TYPE_ANY G_N_ELEMENTS (types)

struct _EpsimoParameterRow
{
  GtkListBoxRow   parent_instance;

  /* The property's schema as loaded: members the row does not show are kept. */
  JsonObject     *property;
  gboolean        loading;

  GtkEntry       *name_entry;
  GtkDropDown    *type_dropdown;
  GtkCheckButton *required_check;
  GtkEntry       *description_entry;
  GtkLabel       *problem_label;
};

G_DEFINE_FINAL_TYPE (EpsimoParameterRow, epsimo_parameter_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  CHANGED,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_changed (EpsimoParameterRow *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_remove_clicked (EpsimoParameterRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
epsimo_parameter_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EPSIMO_TYPE_PARAMETER_ROW);

  G_OBJECT_CLASS (epsimo_parameter_row_parent_class)->dispose (object);
}

static void
epsimo_parameter_row_finalize (GObject *object)
{
  EpsimoParameterRow *self = (EpsimoParameterRow *)object;

  g_clear_pointer (&self->property, json_object_unref);

  G_OBJECT_CLASS (epsimo_parameter_row_parent_class)->finalize (object);
}

static void
epsimo_parameter_row_class_init (EpsimoParameterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_parameter_row_dispose;
  object_class->finalize = epsimo_parameter_row_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/assistants/"
                                               "epsimo-parameter-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoParameterRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, EpsimoParameterRow, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EpsimoParameterRow, required_check);
  gtk_widget_class_bind_template_child (widget_class, EpsimoParameterRow, description_entry);
  gtk_widget_class_bind_template_child (widget_class, EpsimoParameterRow, problem_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
}

static void
epsimo_parameter_row_init (EpsimoParameterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static guint
type_position (JsonObject *property)
{
  JsonNode *node = json_object_get_member (property, "type");

  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      if (g_str_equal (json_node_get_string (node), types[i]))
        return i;

  return TYPE_ANY;
}

GtkWidget *
epsimo_parameter_row_new (const char *name,
                          JsonObject *property,
                          gboolean    required)
{
  EpsimoParameterRow *self = g_object_new (EPSIMO_TYPE_PARAMETER_ROW, NULL);
  JsonNode *description;

  self->loading = TRUE;
  if (property != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      /* Member by member in order: the user sees the schema as written. */
      self->property = json_object_new ();
      json_object_iter_init_ordered (&iter, property);
      while (json_object_iter_next_ordered (&iter, &member, &node))
        json_object_set_member (self->property, member, epsimo_json_node_copy (node));
    }
  else
    {
      self->property = json_object_new ();
      json_object_set_string_member (self->property, "type", "string");
    }

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
  gtk_drop_down_set_selected (self->type_dropdown, type_position (self->property));
  gtk_check_button_set_active (self->required_check, required);
  description = json_object_get_member (self->property, "description");
  if (description != NULL && json_node_get_value_type (description) == G_TYPE_STRING)
    gtk_editable_set_text (GTK_EDITABLE (self->description_entry),
                           json_node_get_string (description));
  self->loading = FALSE;

  return GTK_WIDGET (self);
}

char *
epsimo_parameter_row_dup_name (EpsimoParameterRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_PARAMETER_ROW (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
}

gboolean
epsimo_parameter_row_get_required (EpsimoParameterRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_PARAMETER_ROW (self), FALSE);

  return gtk_check_button_get_active (self->required_check);
}

JsonObject *
epsimo_parameter_row_dup_property (EpsimoParameterRow *self)
{
  JsonObject *property = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  const char *description;
  guint type;

  g_return_val_if_fail (EPSIMO_IS_PARAMETER_ROW (self), NULL);

  json_object_iter_init_ordered (&iter, self->property);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    json_object_set_member (property, member, epsimo_json_node_copy (node));

  type = gtk_drop_down_get_selected (self->type_dropdown);
  if (type < G_N_ELEMENTS (types))
    json_object_set_string_member (property, "type", types[type]);
  else if (type_position (property) != TYPE_ANY)
    /* "any" chosen over a plain type: no type at all. A type the menu cannot show (a list
     * of types) stays as it was. */
    json_object_remove_member (property, "type");

  description = gtk_editable_get_text (GTK_EDITABLE (self->description_entry));
  if (*description != '\0')
    json_object_set_string_member (property, "description", description);
  else if (json_object_has_member (property, "description"))
    json_object_remove_member (property, "description");

  return property;
}

void
epsimo_parameter_row_set_problem (EpsimoParameterRow *self,
                                  const char         *problem)
{
  g_return_if_fail (EPSIMO_IS_PARAMETER_ROW (self));

  gtk_label_set_text (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_entry), "error");
}

void
epsimo_parameter_row_focus_name (EpsimoParameterRow *self)
{
  g_return_if_fail (EPSIMO_IS_PARAMETER_ROW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}
