/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-project"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"
#include "epsimo-project.h"

struct _EpsimoProject
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *description;
  GDateTime  *created_at;
  JsonObject *metadata;
};

G_DEFINE_FINAL_TYPE (EpsimoProject, epsimo_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_CREATED_AT,
  PROP_METADATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_project_finalize (GObject *object)
{
  EpsimoProject *self = (EpsimoProject *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->metadata, json_object_unref);

  G_OBJECT_CLASS (epsimo_project_parent_class)->finalize (object);
}

static void
epsimo_project_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EpsimoProject *self = EPSIMO_PROJECT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_METADATA:
      g_value_set_boxed (value, self->metadata);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_project_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EpsimoProject *self = EPSIMO_PROJECT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      epsimo_project_set_name (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      epsimo_project_set_description (self, g_value_get_string (value));
      break;

    case PROP_METADATA:
      epsimo_project_set_metadata (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_project_class_init (EpsimoProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_project_finalize;
  object_class->get_property = epsimo_project_get_property;
  object_class->set_property = epsimo_project_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_METADATA] =
    g_param_spec_boxed ("metadata", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_project_init (EpsimoProject *self)
{
}

/**
 * epsimo_project_new:
 * @name: the project's name
 * @description: (nullable): what it is for
 *
 * Returns: (transfer full): a project that is not yet on the server
 */
EpsimoProject *
epsimo_project_new (const char *name,
                    const char *description)
{
  EpsimoProject *self = g_object_new (EPSIMO_TYPE_PROJECT, NULL);

  self->name = g_strdup (name);
  self->description = g_strdup (description);

  return self;
}

/**
 * epsimo_project_new_from_json:
 * @object: a project from the server
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the project, or %NULL on error
 */
EpsimoProject *
epsimo_project_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(EpsimoProject) self = NULL;
  g_autofree char *id = NULL;
  const char *name;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = epsimo_json_require_id (object, "project_id", _("project"), error);
  if (id == NULL)
    return NULL;

  name = epsimo_json_require_string (object, "name", _("project"), error);
  if (name == NULL)
    return NULL;

  self = g_object_new (EPSIMO_TYPE_PROJECT, NULL);
  self->id = g_steal_pointer (&id);
  self->name = g_strdup (name);
  self->description = g_strdup (epsimo_json_get_string (object, "description"));
  self->created_at = epsimo_json_get_date_time (object, "created_at");
  self->metadata = epsimo_json_object_copy (epsimo_json_get_object (object, "metadata"));

  return g_steal_pointer (&self);
}

/**
 * epsimo_project_update_from_json:
 * @self: a project
 * @object: the same project from the server
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Refreshes @self so that bound views follow; emits notify only for what changed.
 *
 * Returns: %TRUE on success
 */
gboolean
epsimo_project_update_from_json (EpsimoProject  *self,
                                 JsonObject     *object,
                                 GError        **error)
{
  g_autoptr(EpsimoProject) other = NULL;

  g_return_val_if_fail (EPSIMO_IS_PROJECT (self), FALSE);

  other = epsimo_project_new_from_json (object, error);
  if (other == NULL)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  if (epsimo_json_replace_string (&self->id, other->id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  epsimo_project_set_name (self, other->name);
  epsimo_project_set_description (self, other->description);
  if (epsimo_json_replace_date_time (&self->created_at, other->created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
  epsimo_project_set_metadata (self, other->metadata);

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * epsimo_project_to_json:
 * @self: a project
 * @dialect: the server's dialect (both take the same body)
 *
 * Returns: (transfer full): {name, description, metadata}, the body of POST and PUT
 */
JsonNode *
epsimo_project_to_json (EpsimoProject *self,
                        EpsimoDialect  dialect)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (EPSIMO_IS_PROJECT (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", self->name ? self->name : "");
  json_object_set_string_member (object, "description",
                                 self->description ? self->description : "");
  /* The server replaces metadata on PUT: always send it, empty if need be. */
  json_object_set_object_member (object, "metadata",
                                 self->metadata ? epsimo_json_object_copy (self->metadata)
                                                : json_object_new ());

  return json_node_init_object (json_node_alloc (), object);
}

const char *
epsimo_project_get_id (EpsimoProject *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT (self), NULL);

  return self->id;
}

const char *
epsimo_project_get_name (EpsimoProject *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT (self), NULL);

  return self->name;
}

void
epsimo_project_set_name (EpsimoProject *self,
                         const char    *name)
{
  g_return_if_fail (EPSIMO_IS_PROJECT (self));

  if (epsimo_json_replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
epsimo_project_get_description (EpsimoProject *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT (self), NULL);

  return self->description;
}

void
epsimo_project_set_description (EpsimoProject *self,
                                const char    *description)
{
  g_return_if_fail (EPSIMO_IS_PROJECT (self));

  if (epsimo_json_replace_string (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

GDateTime *
epsimo_project_get_created_at (EpsimoProject *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT (self), NULL);

  return self->created_at;
}

JsonObject *
epsimo_project_get_metadata (EpsimoProject *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT (self), NULL);

  return self->metadata;
}

void
epsimo_project_set_metadata (EpsimoProject *self,
                             JsonObject    *metadata)
{
  g_return_if_fail (EPSIMO_IS_PROJECT (self));

  if (epsimo_json_replace_object (&self->metadata, metadata))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METADATA]);
}
