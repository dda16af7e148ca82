"""plugin-actors guest SDK for Python (standard library only): write a subprocess plugin.

    from plugin_actors import serve, ResultError
    serve(wit='wit', world='example:greeter/greeter', exports={'example:greeter/api': {...}})
"""
from .serve import CallContext, HostError, HostResource, ResultError, call_host, current_call, log, serve

__all__ = ['serve', 'ResultError', 'HostError', 'HostResource', 'CallContext', 'current_call', 'call_host', 'log']
