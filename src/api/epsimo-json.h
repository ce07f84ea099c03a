/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Safe getters: each returns the member only when it exists and has the
 * expected type; anything else, JSON null included, reads as absent (never a
 * g_critical). Integers also accept integral doubles (45.0). Borrowed pointers
 * live as long as @object. */
const char *epsimo_json_get_string  (JsonObject  *object,
                                     const char  *member);
gboolean    epsimo_json_get_int     (JsonObject  *object,
                                     const char  *member,
                                     gint64      *out_value);
gboolean    epsimo_json_get_double  (JsonObject  *object,
                                     const char  *member,
                                     double      *out_value);
gboolean    epsimo_json_get_bool    (JsonObject  *object,
                                     const char  *member,
                                     gboolean    *out_value);
JsonObject *epsimo_json_get_object  (JsonObject  *object,
                                     const char  *member);
JsonArray  *epsimo_json_get_array   (JsonObject  *object,
                                     const char  *member);

/* Required variants: on a missing or wrong-typed member they set
 * EPSIMO_API_ERROR_PROTOCOL naming @what (a translated noun such as
 * _("project")) and the member, and return NULL / FALSE. */
const char *epsimo_json_require_string (JsonObject  *object,
                                        const char  *member,
                                        const char  *what,
                                        GError     **error);
gboolean    epsimo_json_require_int    (JsonObject  *object,
                                        const char  *member,
                                        const char  *what,
                                        gint64      *out_value,
                                        GError     **error);
JsonObject *epsimo_json_require_object (JsonObject  *object,
                                        const char  *member,
                                        const char  *what,
                                        GError     **error);
JsonArray  *epsimo_json_require_array  (JsonObject  *object,
                                        const char  *member,
                                        const char  *what,
                                        GError     **error);

/* The first of @member and "id" that is a string (or an integer, printed),
 * newly allocated; NULL when neither is. */
char       *epsimo_json_dup_id        (JsonObject  *object,
                                       const char  *member);

/* Like epsimo_json_dup_id(), but a missing or empty id is
 * EPSIMO_API_ERROR_PROTOCOL naming @what and @member. */
char       *epsimo_json_require_id    (JsonObject  *object,
                                       const char  *member,
                                       const char  *what,
                                       GError     **error);

/* The first string member of access_token, token and jwt_token, or NULL. */
const char *epsimo_json_get_token     (JsonObject  *object);

/* Parses ISO 8601 ("Z", "+02:00", fractional seconds; a time without an
 * offset is taken as UTC). Returns a new GDateTime, or NULL. */
GDateTime  *epsimo_json_parse_date_time (const char *text);
/* The member parsed with epsimo_json_parse_date_time(), or NULL. */
GDateTime  *epsimo_json_get_date_time   (JsonObject *object,
                                         const char *member);
/* ISO 8601 in UTC with a "Z", newly allocated. */
char       *epsimo_json_format_date_time (GDateTime *date_time);

/* Deep copies (json_node_copy() only copies the top level). */
JsonNode   *epsimo_json_node_copy     (JsonNode    *node);
JsonObject *epsimo_json_object_copy   (JsonObject  *object);
JsonArray  *epsimo_json_array_copy    (JsonArray   *array);
/* Deep equality of two nodes (either may be NULL). */
gboolean    epsimo_json_node_equal    (JsonNode    *a,
                                       JsonNode    *b);

/* json_parser_load_from_data() for text that comes from the network: JSON nested
 * deeper than EPSIMO_JSON_MAX_DEPTH is refused with JSON_PARSER_ERROR_INVALID_DATA
 * before json-glib sees it (json-glib 1.6 recurses once per level: 100 KB of "["
 * overflow the stack); escapes other than JSON's are refused and a lone surrogate escape
 * ("\ud800") reads as U+FFFD (json-glib 1.6 would make strings that are not UTF-8).
 * @length -1: NUL-terminated. */
#define EPSIMO_JSON_MAX_DEPTH 512
gboolean    epsimo_json_parser_load   (JsonParser  *parser,
                                       const char  *data,
                                       gssize       length,
                                       GError     **error);

/* Parses a whole reply. A body that is not JSON is EPSIMO_API_ERROR_PROTOCOL.
 * Returns a new node. */
JsonNode   *epsimo_json_parse         (const char  *data,
                                       gssize       length,
                                       GError     **error);
JsonNode   *epsimo_json_parse_bytes   (GBytes      *bytes,
                                       GError     **error);

/* A list reply: either a bare array, or an object holding the array under
 * @wrapper_member (e.g. {"threads": [...], "total": N}). Returns the elements
 * (new references; the array frees them), or NULL with
 * EPSIMO_API_ERROR_PROTOCOL. */
GPtrArray  *epsimo_json_get_list      (JsonNode    *root,
                                       const char  *wrapper_member,
                                       GError     **error);

/* A model's `_new_from_json`: reads @object into a new GObject, or NULL with @error. */
typedef gpointer (*EpsimoJsonReader) (JsonObject  *object,
                                      GError     **error);

/* Reads @node with @reader; a node that is not an object fails with
 * EPSIMO_API_ERROR_PROTOCOL and the @unreadable message. Transfer full. */
gpointer    epsimo_json_read_object   (JsonNode         *node,
                                       EpsimoJsonReader  reader,
                                       const char       *unreadable,
                                       GError          **error);

/* Every element of a bare or wrapped list (as epsimo_json_get_list()) read as
 * epsimo_json_read_object() does, into an array that owns the objects; NULL
 * with @error at the first element that cannot be read. */
GPtrArray  *epsimo_json_read_list     (JsonNode         *root,
                                       const char       *wrapper_member,
                                       EpsimoJsonReader  reader,
                                       const char       *unreadable,
                                       GError          **error);

/* Serializes @node; newly allocated. */
char       *epsimo_json_to_string     (JsonNode    *node,
                                       gboolean     pretty);

/* For the models' setters: replace *@ptr by (a copy of) the new value and
 * return whether it changed, so the caller notifies only on change. Objects
 * and arrays are deep-copied and compared by value. */
gboolean    epsimo_json_replace_string    (char       **ptr,
                                           const char  *value);
gboolean    epsimo_json_replace_date_time (GDateTime  **ptr,
                                           GDateTime   *value);
gboolean    epsimo_json_replace_object    (JsonObject **ptr,
                                           JsonObject  *value);
gboolean    epsimo_json_replace_array     (JsonArray  **ptr,
                                           JsonArray   *value);

G_END_DECLS
