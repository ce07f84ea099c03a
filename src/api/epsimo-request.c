/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-request"

#include "config.h"

#include <string.h>

#include "epsimo-request.h"

typedef struct
{
  char     *method;
  char     *path;
  JsonNode *body;
} Form;

struct _EpsimoRequest
{
  gatomicrefcount ref_count;

  Form            live;
  Form            reference;
  gboolean        has_reference;

  GString        *query;
  EpsimoAuthKind  auth;
  char           *project_id;

  /* -1: follow the method of the form sent; else forced for both forms. */
  int             idempotent;
};

G_DEFINE_BOXED_TYPE (EpsimoRequest, epsimo_request, epsimo_request_ref, epsimo_request_unref)

static void
form_clear (Form *form)
{
  g_clear_pointer (&form->method, g_free);
  g_clear_pointer (&form->path, g_free);
  g_clear_pointer (&form->body, json_node_unref);
}

static void
form_set (Form       *form,
          const char *method,
          const char *path,
          JsonNode   *body)
{
  form_clear (form);
  form->method = g_ascii_strup (method, -1);
  form->path = g_strdup (path);
  form->body = body != NULL ? json_node_copy (body) : NULL;
}

EpsimoRequest *
epsimo_request_new (const char *method,
                    const char *path)
{
  EpsimoRequest *self;

  g_return_val_if_fail (method != NULL && *method != '\0', NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  self = g_new0 (EpsimoRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  form_set (&self->live, method, path, NULL);
  self->auth = EPSIMO_AUTH_USER;
  self->idempotent = -1;

  return self;
}

EpsimoRequest *
epsimo_request_ref (EpsimoRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
epsimo_request_unref (EpsimoRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  form_clear (&self->live);
  form_clear (&self->reference);
  if (self->query != NULL)
    g_string_free (self->query, TRUE);
  g_free (self->project_id);
  g_free (self);
}

void
epsimo_request_set_body (EpsimoRequest *self,
                         JsonNode      *body)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->live.body, json_node_unref);
  self->live.body = body != NULL ? json_node_copy (body) : NULL;
}

void
epsimo_request_add_query (EpsimoRequest *self,
                          const char    *name,
                          const char    *value)
{
  g_autofree char *escaped_name = NULL;
  g_autofree char *escaped_value = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  escaped_name = g_uri_escape_string (name, NULL, FALSE);
  escaped_value = g_uri_escape_string (value != NULL ? value : "", NULL, FALSE);

  if (self->query == NULL)
    self->query = g_string_new (NULL);
  else
    g_string_append_c (self->query, '&');
  g_string_append_printf (self->query, "%s=%s", escaped_name, escaped_value);
}

void
epsimo_request_set_auth (EpsimoRequest  *self,
                         EpsimoAuthKind  auth,
                         const char     *project_id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (auth != EPSIMO_AUTH_PROJECT || (project_id != NULL && *project_id != '\0'));

  self->auth = auth;
  g_free (self->project_id);
  self->project_id = auth == EPSIMO_AUTH_PROJECT ? g_strdup (project_id) : NULL;
}

void
epsimo_request_set_idempotent (EpsimoRequest *self,
                               gboolean       idempotent)
{
  g_return_if_fail (self != NULL);

  self->idempotent = idempotent ? 1 : 0;
}

void
epsimo_request_set_reference (EpsimoRequest *self,
                              const char    *method,
                              const char    *path,
                              JsonNode      *body)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL && *method != '\0');
  g_return_if_fail (path != NULL && path[0] == '/');

  form_set (&self->reference, method, path, body);
  self->has_reference = TRUE;
}

gboolean
epsimo_request_has_reference (EpsimoRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_reference;
}

EpsimoAuthKind
epsimo_request_get_auth (EpsimoRequest *self)
{
  g_return_val_if_fail (self != NULL, EPSIMO_AUTH_NONE);

  return self->auth;
}

const char *
epsimo_request_get_project_id (EpsimoRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->project_id;
}

static const Form *
get_form (EpsimoRequest *self,
          EpsimoDialect  dialect)
{
  if (dialect == EPSIMO_DIALECT_REFERENCE && self->has_reference)
    return &self->reference;
  return &self->live;
}

const char *
epsimo_request_get_method (EpsimoRequest *self,
                           EpsimoDialect  dialect)
{
  g_return_val_if_fail (self != NULL, NULL);

  return get_form (self, dialect)->method;
}

const char *
epsimo_request_get_path (EpsimoRequest *self,
                         EpsimoDialect  dialect)
{
  g_return_val_if_fail (self != NULL, NULL);

  return get_form (self, dialect)->path;
}

JsonNode *
epsimo_request_get_body (EpsimoRequest *self,
                         EpsimoDialect  dialect)
{
  g_return_val_if_fail (self != NULL, NULL);

  return get_form (self, dialect)->body;
}

gboolean
epsimo_request_is_idempotent (EpsimoRequest *self,
                              EpsimoDialect  dialect)
{
  static const char * const idempotent_methods[] = {
    "GET", "HEAD", "PUT", "DELETE", "OPTIONS", NULL
  };

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->idempotent >= 0)
    return self->idempotent == 1;

  return g_strv_contains (idempotent_methods, get_form (self, dialect)->method);
}

char *
epsimo_request_dup_path_and_query (EpsimoRequest *self,
                                   EpsimoDialect  dialect)
{
  const char *path;

  g_return_val_if_fail (self != NULL, NULL);

  path = get_form (self, dialect)->path;
  if (self->query == NULL)
    return g_strdup (path);

  return g_strconcat (path, strchr (path, '?') != NULL ? "&" : "?", self->query->str, NULL);
}

char *
epsimo_request_escape (const char *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);

  return g_uri_escape_string (segment, NULL, FALSE);
}
