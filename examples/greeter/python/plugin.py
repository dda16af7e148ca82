# The greeter as a subprocess plugin in Python, with plugin-actors' Python guest SDK
# (standard library only). Same world, same behaviour as the AssemblyScript, Rust and Node
# guests beside it.
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / 'guest-sdk' / 'python'))

from plugin_actors import ResultError, call_host, serve  # noqa: E402

stats = {'calls': 0, 'characters': 0}


def count(text):
    stats['calls'] += 1
    stats['characters'] += len(text.encode('utf-16-le')) // 2
    return text


class Counter:
    def __init__(self, start):
        self.value = start

    def increment(self, by):
        self.value = (self.value + by) & 0xffffffff
        return self.value

    def get(self):
        return self.value


def greet(name):
    call_host('plugin-actors:host/log@0.1.0#log', 'debug', f'greeting {name}')
    return count(f'Hello, {name}!')


def greet_with(name, delivery):
    plain = f'Hello, {name}!'
    if delivery['tag'] == 'repeat':
        return count(' '.join([plain] * delivery['val']))
    if delivery['tag'] == 'wrapped':
        before, after = delivery['val']
        return count(before + plain + after)
    return count(plain)


def sum_(values):
    stats['calls'] += 1
    return sum(values)


def words(line):
    stats['calls'] += 1
    if not line:
        raise ResultError('the line is empty')
    return [w for w in line.split(' ') if w]


# Stray prints are harmless: the protocol has its own channel and the host logs stdout.
print('greeter (python) ready', flush=True)

serve(
    wit=HERE.parent / 'wit',
    world='example:greeter/greeter',
    exports={
        'example:greeter/api': {
            'greet': greet,
            'greet-with': greet_with,
            'sum': sum_,
            'get-stats': lambda: dict(stats),
            'words': words,
            'Counter': Counter,
        },
    },
)
