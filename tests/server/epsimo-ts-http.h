/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Response helpers and the liveness of a message. */

void        epsimo_ts_http_track                (SoupServerMessage *msg);
gboolean    epsimo_ts_http_is_alive             (SoupServerMessage *msg);
void        epsimo_ts_http_mark_dead            (SoupServerMessage *msg);
void        epsimo_ts_http_unpause              (SoupServerMessage *msg);

const char *epsimo_ts_http_error_title          (guint              status);

void        epsimo_ts_http_respond_raw          (SoupServerMessage *msg,
                                                 guint              status,
                                                 const char        *content_type,
                                                 const char        *body,
                                                 gsize              len);
void        epsimo_ts_http_respond_json         (SoupServerMessage *msg,
                                                 guint              status,
                                                 JsonNode          *node);
void        epsimo_ts_http_respond_object       (SoupServerMessage *msg,
                                                 guint              status,
                                                 JsonObject        *obj);
void        epsimo_ts_http_respond_array        (SoupServerMessage *msg,
                                                 guint              status,
                                                 JsonArray         *array);
void        epsimo_ts_http_respond_empty        (SoupServerMessage *msg,
                                                 guint              status);
void        epsimo_ts_http_respond_error        (SoupServerMessage *msg,
                                                 guint              status,
                                                 const char        *detail,
                                                 const char        *field,
                                                 const char        *code);
void        epsimo_ts_http_respond_error_titled (SoupServerMessage *msg,
                                                 guint              status,
                                                 const char        *error,
                                                 const char        *detail,
                                                 const char        *field,
                                                 const char        *code);

G_END_DECLS
