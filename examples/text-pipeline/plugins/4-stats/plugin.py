# Step 4, a Python subprocess (plugin-actors' Python guest SDK, standard library only):
# appends a footer counting words and lines; empty text is an error.
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3] / 'guest-sdk' / 'python'))

from plugin_actors import ResultError, serve  # noqa: E402


def run(text):
    if not text.strip():
        raise ResultError('there is no text to count')
    words = len(text.split())
    lines = text.rstrip().count('\n') + 1
    return f'{text.rstrip()}\n\n-- {words} words, {lines} lines'


serve(
    wit=HERE.parents[1] / 'wit',
    world='example:text-pipeline/step-plugin',
    exports={'example:text-pipeline/step': {'describe': lambda: 'appends a word and line count', 'run': run}},
)
