/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-schema-builder"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-parameter-row.h"
#include "epsimo-schema-builder.h"
#include "epsimo-schema.h"

struct _EpsimoSchemaBuilder
{
  AdwBin      parent_instance;

  /* The schema last shown: its other members (additionalProperties, ...) are kept. */
  JsonObject *base;
  char       *problem;

  GtkListBox *list;
  GtkWidget  *add_button;
};

G_DEFINE_FINAL_TYPE (EpsimoSchemaBuilder, epsimo_schema_builder, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_problem (EpsimoSchemaBuilder *self,
             char                *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    {
      g_free (problem);
      return;
    }

  g_free (self->problem);
  self->problem = problem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/* Marks unnamed and twice-named parameters; the first problem is the builder's. */
static void
check_rows (EpsimoSchemaBuilder *self)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *first = NULL;
  guint position = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      EpsimoParameterRow *row;
      g_autofree char *name = NULL;
      g_autofree char *problem = NULL;

      if (!EPSIMO_IS_PARAMETER_ROW (child))
        continue;
      row = EPSIMO_PARAMETER_ROW (child);
      position++;

      name = epsimo_parameter_row_dup_name (row);
      if (*name == '\0')
        /* TRANSLATORS: %u is the position of a parameter in the list (1, 2, ...) */
        problem = g_strdup_printf (_("Parameter %u needs a name."), position);
      else if (!g_hash_table_add (names, g_strdup (name)))
        /* TRANSLATORS: %s is the name of a parameter of a function */
        problem = g_strdup_printf (_("Two parameters are named “%s”."), name);

      epsimo_parameter_row_set_problem (row, problem);
      if (first == NULL && problem != NULL)
        first = g_steal_pointer (&problem);
    }

  set_problem (self, first);
}

static void
on_row_changed (EpsimoSchemaBuilder *self)
{
  check_rows (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_row_remove (EpsimoSchemaBuilder *self,
               EpsimoParameterRow  *row)
{
  gtk_list_box_remove (self->list, GTK_WIDGET (row));
  on_row_changed (self);
}

static void
append_row (EpsimoSchemaBuilder *self,
            GtkWidget           *row)
{
  g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_row_remove), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (self->list, row);
}

static void
remove_rows (EpsimoSchemaBuilder *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->list, 0)) != NULL)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
}

static void
epsimo_schema_builder_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EPSIMO_TYPE_SCHEMA_BUILDER);

  G_OBJECT_CLASS (epsimo_schema_builder_parent_class)->dispose (object);
}

static void
epsimo_schema_builder_finalize (GObject *object)
{
  EpsimoSchemaBuilder *self = (EpsimoSchemaBuilder *)object;

  g_clear_pointer (&self->base, json_object_unref);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (epsimo_schema_builder_parent_class)->finalize (object);
}

static void
epsimo_schema_builder_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EpsimoSchemaBuilder *self = EPSIMO_SCHEMA_BUILDER (object);

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
epsimo_schema_builder_class_init (EpsimoSchemaBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_schema_builder_dispose;
  object_class->finalize = epsimo_schema_builder_finalize;
  object_class->get_property = epsimo_schema_builder_get_property;

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/assistants/"
                                               "epsimo-schema-builder.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoSchemaBuilder, list);
  gtk_widget_class_bind_template_child (widget_class, EpsimoSchemaBuilder, add_button);
  gtk_widget_class_bind_template_callback (widget_class, epsimo_schema_builder_add);
}

static void
epsimo_schema_builder_init (EpsimoSchemaBuilder *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
epsimo_schema_builder_new (void)
{
  return g_object_new (EPSIMO_TYPE_SCHEMA_BUILDER, NULL);
}

static gboolean
is_required (JsonObject *schema,
             const char *name)
{
  JsonNode *member = json_object_get_member (schema, "required");
  JsonArray *required;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return FALSE;

  required = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (required); i++)
    {
      JsonNode *element = json_array_get_element (required, i);

      if (json_node_get_value_type (element) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (element), name))
        return TRUE;
    }

  return FALSE;
}

void
epsimo_schema_builder_set_schema (EpsimoSchemaBuilder *self,
                                  JsonObject          *schema)
{
  JsonNode *member;

  g_return_if_fail (EPSIMO_IS_SCHEMA_BUILDER (self));

  g_clear_pointer (&self->base, json_object_unref);
  remove_rows (self);

  if (schema == NULL)
    {
      check_rows (self);
      return;
    }

  self->base = epsimo_schema_object_copy (schema);
  member = json_object_get_member (schema, "properties");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *property;

      json_object_iter_init_ordered (&iter, json_node_get_object (member));
      while (json_object_iter_next_ordered (&iter, &name, &property))
        if (JSON_NODE_HOLDS_OBJECT (property))
          append_row (self, epsimo_parameter_row_new (name, json_node_get_object (property),
                                                      is_required (schema, name)));
    }

  check_rows (self);
}

JsonObject *
epsimo_schema_builder_dup_schema (EpsimoSchemaBuilder *self)
{
  JsonObject *schema;
  JsonObject *props;
  g_autoptr(JsonArray) required = json_array_new ();

  g_return_val_if_fail (EPSIMO_IS_SCHEMA_BUILDER (self), NULL);

  schema = self->base != NULL ? epsimo_schema_object_copy (self->base) : json_object_new ();
  json_object_set_string_member (schema, "type", "object");

  props = json_object_new ();
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      EpsimoParameterRow *row;
      g_autofree char *name = NULL;

      if (!EPSIMO_IS_PARAMETER_ROW (child))
        continue;
      row = EPSIMO_PARAMETER_ROW (child);
      name = epsimo_parameter_row_dup_name (row);
      if (*name == '\0' || json_object_has_member (props, name))
        continue;

      json_object_set_object_member (props, name, epsimo_parameter_row_dup_property (row));
      if (epsimo_parameter_row_get_required (row))
        json_array_add_string_element (required, name);
    }
  json_object_set_object_member (schema, "properties", props);

  if (json_array_get_length (required) > 0)
    json_object_set_array_member (schema, "required", g_steal_pointer (&required));
  else if (json_object_has_member (schema, "required"))
    json_object_remove_member (schema, "required");

  return schema;
}

const char *
epsimo_schema_builder_get_problem (EpsimoSchemaBuilder *self)
{
  g_return_val_if_fail (EPSIMO_IS_SCHEMA_BUILDER (self), NULL);

  return self->problem;
}

void
epsimo_schema_builder_add (EpsimoSchemaBuilder *self)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *name = NULL;
  GtkWidget *row;

  g_return_if_fail (EPSIMO_IS_SCHEMA_BUILDER (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (EPSIMO_IS_PARAMETER_ROW (child))
      g_hash_table_add (names, epsimo_parameter_row_dup_name (EPSIMO_PARAMETER_ROW (child)));

  /* A valid, unused name: the schema stays writable while the user renames it. */
  for (guint i = 1; name == NULL || g_hash_table_contains (names, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("parameter_%u", i);
    }

  row = epsimo_parameter_row_new (name, NULL, FALSE);
  append_row (self, row);
  on_row_changed (self);
  epsimo_parameter_row_focus_name (EPSIMO_PARAMETER_ROW (row));
}

guint
epsimo_schema_builder_get_n_rows (EpsimoSchemaBuilder *self)
{
  guint n = 0;

  g_return_val_if_fail (EPSIMO_IS_SCHEMA_BUILDER (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (EPSIMO_IS_PARAMETER_ROW (child))
      n++;

  return n;
}

GtkWidget *
epsimo_schema_builder_get_row (EpsimoSchemaBuilder *self,
                               guint                position)
{
  g_return_val_if_fail (EPSIMO_IS_SCHEMA_BUILDER (self), NULL);

  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, (int) position));
}
