/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EpsimoProxyResolver: the system's resolver asked once per server, its answer kept. The
 * system's resolver is stood in for by one that counts what it is asked and answers on
 * the next turn of the main loop, the way GIO's answer from their worker threads. */

#include "config.h"

#include <gio/gio.h>

#include "epsimo-proxy-resolver.h"

/* ---- the stand-in for the system's resolver ---------------------------------------------- */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GObject)

struct _TestResolver
{
  GObject    parent_instance;
  GPtrArray *asked;      /* the addresses asked, in order */
  char      *answer;     /* the proxy it answers, or NULL to fail */
};

static void test_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestResolver, test_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      test_resolver_iface_init))

static char **
test_resolver_answer (TestResolver  *self,
                      GError       **error)
{
  char *proxies[] = { self->answer, NULL };

  if (self->answer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no proxy configuration");
      return NULL;
    }
  return g_strdupv (proxies);
}

static char **
test_resolver_lookup (GProxyResolver  *resolver,
                      const char      *uri,
                      GCancellable    *cancellable,
                      GError         **error)
{
  TestResolver *self = TEST_RESOLVER (resolver);

  g_ptr_array_add (self->asked, g_strdup (uri));
  return test_resolver_answer (self, error);
}

static gboolean
answer_later (gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char **proxies = test_resolver_answer (g_task_get_source_object (task), &error);

  if (proxies != NULL)
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
test_resolver_lookup_async (GProxyResolver      *resolver,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);

  g_ptr_array_add (self->asked, g_strdup (uri));
  g_idle_add (answer_later, g_task_new (resolver, cancellable, callback, user_data));
}

static char **
test_resolver_lookup_finish (GProxyResolver  *resolver,
                             GAsyncResult    *result,
                             GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->lookup = test_resolver_lookup;
  iface->lookup_async = test_resolver_lookup_async;
  iface->lookup_finish = test_resolver_lookup_finish;
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);

  g_ptr_array_unref (self->asked);
  g_free (self->answer);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
}

static void
test_resolver_init (TestResolver *self)
{
  self->asked = g_ptr_array_new_with_free_func (g_free);
  self->answer = g_strdup ("http://proxy.example:3128");
}

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct
{
  TestResolver        *system;
  EpsimoProxyResolver *resolver;
  guint                pending;
} Fixture;

typedef struct
{
  Fixture  *fixture;
  char    **proxies;
  GError   *error;
} Answer;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  f->system = g_object_new (TEST_TYPE_RESOLVER, NULL);
  f->resolver = epsimo_proxy_resolver_new (G_PROXY_RESOLVER (f->system),
                                           GPOINTER_TO_INT (user_data) ? 0
                                           : EPSIMO_PROXY_RESOLVER_KEEP_US);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  g_clear_object (&f->resolver);
  g_clear_object (&f->system);
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result,
                                                    &answer->error);
  answer->fixture->pending--;
}

static void
ask (Fixture    *f,
     const char *uri,
     Answer     *answer)
{
  answer->fixture = f;
  f->pending++;
  g_proxy_resolver_lookup_async (G_PROXY_RESOLVER (f->resolver), uri, NULL, on_answer, answer);
}

static void
wait_for_answers (Fixture *f)
{
  while (f->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->proxies, g_strfreev);
  g_clear_error (&answer->error);
}

static void
assert_proxy (Answer     *answer,
              const char *proxy)
{
  g_assert_no_error (answer->error);
  g_assert_nonnull (answer->proxies);
  g_assert_cmpstr (answer->proxies[0], ==, proxy);
  g_assert_null (answer->proxies[1]);
}

/* ---- tests -------------------------------------------------------------------------------- */

/* A start's five connections: one lookup, five answers. */
static void
test_shared_while_asked (Fixture       *f,
                         gconstpointer  user_data)
{
  Answer answers[5] = { 0 };
  const char *paths[5] = { "/threads/", "/projects/", "/tools/", "/auth/thread-info",
                           "/threads/t1/state" };

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *uri = g_strconcat ("http://api.example:8080", paths[i], NULL);

      ask (f, uri, &answers[i]);
    }
  wait_for_answers (f);

  g_assert_cmpuint (f->system->asked->len, ==, 1);
  for (guint i = 0; i < 5; i++)
    {
      assert_proxy (&answers[i], "http://proxy.example:3128");
      answer_clear (&answers[i]);
    }
}

/* Once answered, the server's next connections take the kept answer; another server (or
 * port, or scheme) is asked for. */
static void
test_kept_per_server (Fixture       *f,
                      gconstpointer  user_data)
{
  Answer answer = { 0 };
  g_auto(GStrv) sync_proxies = NULL;
  g_autoptr(GError) error = NULL;

  ask (f, "https://api.example/projects/", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "http://proxy.example:3128");
  answer_clear (&answer);
  g_assert_cmpuint (f->system->asked->len, ==, 1);

  g_free (f->system->answer);
  f->system->answer = g_strdup ("direct://");
  ask (f, "https://API.example/threads/?x=1", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "http://proxy.example:3128");
  answer_clear (&answer);
  sync_proxies = g_proxy_resolver_lookup (G_PROXY_RESOLVER (f->resolver),
                                          "https://api.example/tools/", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sync_proxies[0], ==, "http://proxy.example:3128");
  g_assert_cmpuint (f->system->asked->len, ==, 1);

  ask (f, "https://api.example:8443/projects/", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "direct://");
  answer_clear (&answer);
  ask (f, "http://api.example/projects/", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "direct://");
  answer_clear (&answer);
  ask (f, "https://other.example/projects/", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "direct://");
  answer_clear (&answer);
  g_assert_cmpuint (f->system->asked->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (f->system->asked, 3), ==,
                   "https://other.example/projects/");
}

/* Warming asks at once; the first connection then finds the answer kept. */
static void
test_warm (Fixture       *f,
           gconstpointer  user_data)
{
  Answer answer = { 0 };

  epsimo_proxy_resolver_warm (f->resolver, "http://127.0.0.1:8000/");
  g_assert_cmpuint (f->system->asked->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->system->asked, 0), ==, "http://127.0.0.1:8000/");

  /* Asked while the warming lookup is under way: its answer, no second lookup. */
  ask (f, "http://127.0.0.1:8000/threads/", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "http://proxy.example:3128");
  answer_clear (&answer);

  ask (f, "http://127.0.0.1:8000/projects/", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "http://proxy.example:3128");
  answer_clear (&answer);
  g_assert_cmpuint (f->system->asked->len, ==, 1);
}

/* A failure reaches everyone waiting and is not kept: the next connection asks again. */
static void
test_failure_not_kept (Fixture       *f,
                       gconstpointer  user_data)
{
  Answer first = { 0 }, second = { 0 };

  g_clear_pointer (&f->system->answer, g_free);
  ask (f, "http://api.example/a", &first);
  ask (f, "http://api.example/b", &second);
  wait_for_answers (f);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (first.proxies);
  answer_clear (&first);
  answer_clear (&second);
  g_assert_cmpuint (f->system->asked->len, ==, 1);

  f->system->answer = g_strdup ("direct://");
  ask (f, "http://api.example/c", &first);
  wait_for_answers (f);
  assert_proxy (&first, "direct://");
  answer_clear (&first);
  g_assert_cmpuint (f->system->asked->len, ==, 2);
}

/* Nothing kept (the time kept over): each later connection asks again, and a changed
 * setting is followed. */
static void
test_expired_asks_again (Fixture       *f,
                         gconstpointer  user_data)
{
  Answer answer = { 0 };

  ask (f, "http://api.example/a", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "http://proxy.example:3128");
  answer_clear (&answer);

  g_free (f->system->answer);
  f->system->answer = g_strdup ("direct://");
  ask (f, "http://api.example/b", &answer);
  wait_for_answers (f);
  assert_proxy (&answer, "direct://");
  answer_clear (&answer);
  g_assert_cmpuint (f->system->asked->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/proxy-resolver/shared-while-asked", Fixture, NULL,
              fixture_set_up, test_shared_while_asked, fixture_tear_down);
  g_test_add ("/proxy-resolver/kept-per-server", Fixture, NULL,
              fixture_set_up, test_kept_per_server, fixture_tear_down);
  g_test_add ("/proxy-resolver/warm", Fixture, NULL,
              fixture_set_up, test_warm, fixture_tear_down);
  g_test_add ("/proxy-resolver/failure-not-kept", Fixture, NULL,
              fixture_set_up, test_failure_not_kept, fixture_tear_down);
  g_test_add ("/proxy-resolver/expired-asks-again", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_expired_asks_again, fixture_tear_down);

  return g_test_run ();
}
