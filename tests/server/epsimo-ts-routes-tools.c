/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-routes.h"
#include "epsimo-ts-assistant-config.h"

void
epsimo_ts_route_tools_list (EpsimoTsRequest *req)
{
  const EpsimoTsToolInfo *tools;
  JsonArray *array = json_array_new ();
  JsonObject *obj = json_object_new ();
  guint n_tools;

  tools = epsimo_ts_tool_catalogue (&n_tools);
  for (guint i = 0; i < n_tools; i++)
    {
      JsonObject *tool = json_object_new ();

      json_object_set_string_member (tool, "name", tools[i].name);
      json_object_set_string_member (tool, "type", tools[i].type);
      json_object_set_string_member (tool, "description", tools[i].description);
      json_array_add_object_element (array, tool);
    }

  json_object_set_array_member (obj, "tools", array);
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

/* Every tool is healthy but image generation, so clients can show both. */
void
epsimo_ts_route_tool_health (EpsimoTsRequest *req)
{
  const EpsimoTsToolInfo *info = epsimo_ts_tool_catalogue_lookup (req->params[0]);
  JsonObject *obj;

  if (info == NULL)
    {
      epsimo_ts_request_not_found (req, "Tool type");
      return;
    }

  obj = json_object_new ();
  if (g_str_equal (info->type, "dall_e"))
    {
      json_object_set_string_member (obj, "status", "unhealthy");
      json_object_set_string_member (obj, "message", "Image generation is down");
      json_object_set_string_member (obj, "error", "upstream 503");
    }
  else
    {
      g_autofree char *message = g_strdup_printf ("%s is working", info->name);

      json_object_set_string_member (obj, "status", "healthy");
      json_object_set_string_member (obj, "message", message);
    }

  epsimo_ts_http_respond_object (req->msg, 200, obj);
}
