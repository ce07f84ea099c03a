/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-catalogue-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-catalogue-entry.h"

#define PRESET_UPDATE_DATABASE "preset:update_database"
#define PRESET_MANAGE_TASK     "preset:manage_task"

struct _EpsimoCatalogueEntry
{
  GObject           parent_instance;

  char             *key;
  char             *type;
  char             *title;
  char             *description;
  /* What goes to the server when this entry came from it (else the built-in English). */
  char             *tool_name;
  char             *tool_description;
  EpsimoToolHealth  health;
  char             *health_message;
};

G_DEFINE_FINAL_TYPE (EpsimoCatalogueEntry, epsimo_catalogue_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_HEALTH,
  PROP_HEALTH_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const char *type;
  const char *name;         /* sent to the server in English, shown translated */
  const char *description;
} BuiltinTool;

/* shared/api/wire-protocol.md: the tool types the SDK knows. */
static const BuiltinTool builtin_tools[] = {
  { "search_tavily", N_("Search (Tavily)"),
    N_("Uses the Tavily search engine. Includes sources in the response.") },
  { "search_tavily_answer", N_("Search (short answer, Tavily)"),
    N_("Uses the Tavily search engine to give a short, direct answer.") },
  { "ddg_search", N_("DuckDuckGo Search"), N_("Searches the web with DuckDuckGo.") },
  { "arxiv", N_("Arxiv"), N_("Searches scientific papers on arxiv.org.") },
  { "pubmed", N_("PubMed"), N_("Searches biomedical literature on PubMed.") },
  { "wikipedia", N_("Wikipedia"), N_("Looks up articles on Wikipedia.") },
  { "retrieval", N_("Retrieval"),
    N_("Looks up information in the files uploaded to the assistant.") },
  { "dall_e", N_("Generate Image (Dall-E)"), N_("Generates images from a text description.") },
  { "function", N_("Function"),
    N_("A function the assistant can call, described by a JSON Schema.") },
};

static const BuiltinTool *
find_builtin (const char *type)
{
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (builtin_tools); i++)
    if (g_str_equal (builtin_tools[i].type, type))
      return &builtin_tools[i];
  return NULL;
}

const char *
epsimo_catalogue_type_get_title (const char *type)
{
  const BuiltinTool *builtin = find_builtin (type);

  return builtin != NULL ? _(builtin->name) : type;
}

static void
epsimo_catalogue_entry_finalize (GObject *object)
{
  EpsimoCatalogueEntry *self = (EpsimoCatalogueEntry *)object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->tool_name, g_free);
  g_clear_pointer (&self->tool_description, g_free);
  g_clear_pointer (&self->health_message, g_free);

  G_OBJECT_CLASS (epsimo_catalogue_entry_parent_class)->finalize (object);
}

static void
epsimo_catalogue_entry_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EpsimoCatalogueEntry *self = EPSIMO_CATALOGUE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_HEALTH:
      g_value_set_int (value, self->health);
      break;

    case PROP_HEALTH_MESSAGE:
      g_value_set_string (value, self->health_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_catalogue_entry_class_init (EpsimoCatalogueEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_catalogue_entry_finalize;
  object_class->get_property = epsimo_catalogue_entry_get_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HEALTH] =
    g_param_spec_int ("health", NULL, NULL,
                      EPSIMO_TOOL_HEALTH_UNKNOWN, EPSIMO_TOOL_HEALTH_UNHEALTHY,
                      EPSIMO_TOOL_HEALTH_UNKNOWN,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HEALTH_MESSAGE] =
    g_param_spec_string ("health-message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_catalogue_entry_init (EpsimoCatalogueEntry *self)
{
}

static EpsimoCatalogueEntry *
entry_new (const char *key,
           const char *type,
           const char *title,
           const char *description,
           const char *tool_name,
           const char *tool_description)
{
  EpsimoCatalogueEntry *self = g_object_new (EPSIMO_TYPE_CATALOGUE_ENTRY, NULL);

  self->key = g_strdup (key);
  self->type = g_strdup (type);
  self->title = g_strdup (title);
  self->description = g_strdup (description);
  self->tool_name = g_strdup (tool_name);
  self->tool_description = g_strdup (tool_description);

  return self;
}

static void
append_presets (GListStore *store)
{
  g_autoptr(EpsimoCatalogueEntry) update_database = NULL;
  g_autoptr(EpsimoCatalogueEntry) manage_task = NULL;

  update_database =
    entry_new (PRESET_UPDATE_DATABASE, NULL, _("Update Database"),
               _("A ready-made function with which the assistant stores JSON data in the "
                 "conversation’s database."),
               NULL, NULL);
  manage_task =
    entry_new (PRESET_MANAGE_TASK, NULL, _("Manage Tasks"),
               _("A ready-made function with which the assistant creates, updates, deletes "
                 "and lists tasks."),
               NULL, NULL);

  g_list_store_append (store, update_database);
  g_list_store_append (store, manage_task);
}

GListStore *
epsimo_catalogue_entry_new_builtin_list (void)
{
  GListStore *store = g_list_store_new (EPSIMO_TYPE_CATALOGUE_ENTRY);

  for (guint i = 0; i < G_N_ELEMENTS (builtin_tools); i++)
    {
      const BuiltinTool *tool = &builtin_tools[i];
      g_autoptr(EpsimoCatalogueEntry) entry = NULL;

      entry = entry_new (tool->type, tool->type, _(tool->name), _(tool->description),
                         tool->name, tool->description);
      g_list_store_append (store, entry);
    }
  append_presets (store);

  return store;
}

GListStore *
epsimo_catalogue_entry_new_list_from_tools (GPtrArray *tools)
{
  GListStore *store = g_list_store_new (EPSIMO_TYPE_CATALOGUE_ENTRY);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; tools != NULL && i < tools->len; i++)
    {
      EpsimoTool *tool = g_ptr_array_index (tools, i);
      const char *type = epsimo_tool_get_tool_type (tool);
      const char *name = epsimo_tool_get_name (tool);
      const char *description = epsimo_tool_get_description (tool);
      const BuiltinTool *builtin = find_builtin (type);
      g_autoptr(EpsimoCatalogueEntry) entry = NULL;

      /* One entry per type: the menu adds a type, not a configured tool. */
      if (!g_hash_table_add (seen, (gpointer) type))
        continue;

      if (name == NULL || *name == '\0')
        name = builtin != NULL ? builtin->name : type;
      if (description == NULL)
        description = builtin != NULL ? builtin->description : "";

      entry = entry_new (type, type, name, description, name, description);
      g_list_store_append (store, entry);
    }
  append_presets (store);

  return store;
}

const char *
epsimo_catalogue_entry_get_key (EpsimoCatalogueEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self), NULL);

  return self->key;
}

const char *
epsimo_catalogue_entry_get_tool_type (EpsimoCatalogueEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self), NULL);

  return self->type;
}

const char *
epsimo_catalogue_entry_get_title (EpsimoCatalogueEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self), NULL);

  return self->title;
}

const char *
epsimo_catalogue_entry_get_description (EpsimoCatalogueEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self), NULL);

  return self->description;
}

EpsimoToolHealth
epsimo_catalogue_entry_get_health (EpsimoCatalogueEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self), EPSIMO_TOOL_HEALTH_UNKNOWN);

  return self->health;
}

const char *
epsimo_catalogue_entry_get_health_message (EpsimoCatalogueEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self), NULL);

  return self->health_message;
}

void
epsimo_catalogue_entry_set_health (EpsimoCatalogueEntry *self,
                                   EpsimoToolHealth      health,
                                   const char           *message)
{
  g_return_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->health != health)
    {
      self->health = health;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH]);
    }
  if (g_strcmp0 (self->health_message, message) != 0)
    {
      g_free (self->health_message);
      self->health_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

EpsimoTool *
epsimo_catalogue_entry_create_tool (EpsimoCatalogueEntry *self)
{
  EpsimoTool *tool;

  g_return_val_if_fail (EPSIMO_IS_CATALOGUE_ENTRY (self), NULL);

  if (g_str_equal (self->key, PRESET_UPDATE_DATABASE))
    return epsimo_tool_new_update_database ();
  if (g_str_equal (self->key, PRESET_MANAGE_TASK))
    return epsimo_tool_new_manage_task ();

  tool = epsimo_tool_new (self->type);
  /* A function's name is its identifier, which the user chooses. */
  if (!g_str_equal (self->type, "function"))
    {
      epsimo_tool_set_name (tool, self->tool_name);
      epsimo_tool_set_description (tool, self->tool_description);
    }

  return tool;
}
