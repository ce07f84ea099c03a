/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-tool-call"

#include "config.h"

#include "api/epsimo-json.h"

#include "epsimo-tool-call.h"

struct _EpsimoToolCall
{
  GObject               parent_instance;

  char                 *id;
  char                 *name;
  char                 *arguments;
  char                 *result;
  EpsimoToolCallStatus  status;
  gboolean              expanded;
};

G_DEFINE_FINAL_TYPE (EpsimoToolCall, epsimo_tool_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ARGUMENTS,
  PROP_RESULT,
  PROP_STATUS,
  PROP_EXPANDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_tool_call_finalize (GObject *object)
{
  EpsimoToolCall *self = (EpsimoToolCall *)object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->arguments);
  g_free (self->result);

  G_OBJECT_CLASS (epsimo_tool_call_parent_class)->finalize (object);
}

static void
epsimo_tool_call_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EpsimoToolCall *self = EPSIMO_TOOL_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ARGUMENTS:
      g_value_set_string (value, self->arguments);
      break;

    case PROP_RESULT:
      g_value_set_string (value, self->result);
      break;

    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;

    case PROP_EXPANDED:
      g_value_set_boolean (value, self->expanded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_tool_call_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EpsimoToolCall *self = EPSIMO_TOOL_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      if (self->name == NULL)
        self->name = g_strdup ("");
      break;

    case PROP_ARGUMENTS:
      epsimo_tool_call_set_arguments (self, g_value_get_string (value));
      break;

    case PROP_RESULT:
      epsimo_tool_call_set_result (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      epsimo_tool_call_set_status (self, g_value_get_uint (value));
      break;

    case PROP_EXPANDED:
      epsimo_tool_call_set_expanded (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_tool_call_class_init (EpsimoToolCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                 G_PARAM_STATIC_STRINGS);

  object_class->finalize = epsimo_tool_call_finalize;
  object_class->get_property = epsimo_tool_call_get_property;
  object_class->set_property = epsimo_tool_call_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct);
  properties[PROP_ARGUMENTS] = g_param_spec_string ("arguments", NULL, NULL, NULL, rw);
  properties[PROP_RESULT] = g_param_spec_string ("result", NULL, NULL, NULL, rw);
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL,
                       EPSIMO_TOOL_CALL_RUNNING, EPSIMO_TOOL_CALL_FAILED,
                       EPSIMO_TOOL_CALL_RUNNING, rw);
  properties[PROP_EXPANDED] = g_param_spec_boolean ("expanded", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_tool_call_init (EpsimoToolCall *self)
{
}

EpsimoToolCall *
epsimo_tool_call_new (const char *id,
                      const char *name,
                      const char *arguments)
{
  return g_object_new (EPSIMO_TYPE_TOOL_CALL,
                       "id", id,
                       "name", name,
                       "arguments", arguments,
                       NULL);
}

const char *
epsimo_tool_call_get_id (EpsimoToolCall *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_CALL (self), NULL);

  return self->id;
}

const char *
epsimo_tool_call_get_name (EpsimoToolCall *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_CALL (self), "");

  return self->name != NULL ? self->name : "";
}

const char *
epsimo_tool_call_get_arguments (EpsimoToolCall *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_CALL (self), NULL);

  return self->arguments;
}

void
epsimo_tool_call_set_arguments (EpsimoToolCall *self,
                                const char     *arguments)
{
  g_return_if_fail (EPSIMO_IS_TOOL_CALL (self));

  if (epsimo_json_replace_string (&self->arguments, arguments))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARGUMENTS]);
}

const char *
epsimo_tool_call_get_result (EpsimoToolCall *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_CALL (self), NULL);

  return self->result;
}

void
epsimo_tool_call_set_result (EpsimoToolCall *self,
                             const char     *result)
{
  g_return_if_fail (EPSIMO_IS_TOOL_CALL (self));

  if (epsimo_json_replace_string (&self->result, result))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

EpsimoToolCallStatus
epsimo_tool_call_get_status (EpsimoToolCall *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_CALL (self), EPSIMO_TOOL_CALL_RUNNING);

  return self->status;
}

void
epsimo_tool_call_set_status (EpsimoToolCall       *self,
                             EpsimoToolCallStatus  status)
{
  g_return_if_fail (EPSIMO_IS_TOOL_CALL (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
epsimo_tool_call_get_expanded (EpsimoToolCall *self)
{
  g_return_val_if_fail (EPSIMO_IS_TOOL_CALL (self), FALSE);

  return self->expanded;
}

void
epsimo_tool_call_set_expanded (EpsimoToolCall *self,
                               gboolean        expanded)
{
  g_return_if_fail (EPSIMO_IS_TOOL_CALL (self));

  expanded = !!expanded;
  if (self->expanded == expanded)
    return;

  self->expanded = expanded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}
