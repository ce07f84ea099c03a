/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-schema"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-schema.h"

JsonNode *
epsimo_schema_node_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, epsimo_schema_object_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (array_copy,
                                  epsimo_schema_node_copy (json_array_get_element (array, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array_copy);
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

JsonObject *
epsimo_schema_object_copy (JsonObject *object)
{
  JsonObject *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (object == NULL)
    return NULL;

  copy = json_object_new ();
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, epsimo_schema_node_copy (member));

  return copy;
}

char *
epsimo_schema_validate (JsonNode *node,
                        gpointer  user_data)
{
  JsonObject *schema;
  JsonObject *properties;
  JsonNode *member;
  JsonArray *required;
  JsonObjectIter iter;
  const char *name;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("The parameters must be a JSON object: "
                       "{\"type\": \"object\", \"properties\": {…}}."));
  schema = json_node_get_object (node);

  member = json_object_get_member (schema, "type");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING ||
      !g_str_equal (json_node_get_string (member), "object"))
    return g_strdup (_("The schema’s “type” must be \"object\"."));

  member = json_object_get_member (schema, "properties");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return g_strdup (_("The schema needs a “properties” object."));
  properties = json_node_get_object (member);

  json_object_iter_init_ordered (&iter, properties);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        /* TRANSLATORS: %s is the name of a parameter of a function */
        return g_strdup_printf (_("The property “%s” must be an object (its schema)."), name);
      if (*name == '\0')
        return g_strdup (_("A property has an empty name."));
    }

  member = json_object_get_member (schema, "required");
  if (member == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    return g_strdup (_("“required” must be a list of property names."));

  required = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (required); i++)
    {
      JsonNode *element = json_array_get_element (required, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        return g_strdup (_("“required” must be a list of property names."));
      if (!json_object_has_member (properties, json_node_get_string (element)))
        /* TRANSLATORS: %s is a name listed in "required" of a JSON Schema */
        return g_strdup_printf (_("“%s” is required but is not one of the properties."),
                                json_node_get_string (element));
    }

  return NULL;
}

gboolean
epsimo_schema_is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (*name) || *name == '_'))
    return FALSE;

  for (const char *p = name + 1; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;

  return TRUE;
}
