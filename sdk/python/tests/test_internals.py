import ast
import os
import unittest
from datetime import datetime, timezone

import support  # noqa: F401  (puts the package on the path)

from portcullis._retry import parse_retry_after, retry_delay

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "portcullis")


class RetryDelayTest(unittest.TestCase):
    def test_retry_after_is_read_as_seconds_or_an_http_date(self):
        now = datetime(2026, 11, 21, 22, 0, 0, tzinfo=timezone.utc)
        self.assertEqual(7.0, parse_retry_after("7", now))
        self.assertEqual(0.0, parse_retry_after(" 0 ", now))
        self.assertEqual(30.0, parse_retry_after("Sat, 21 Nov 2026 22:00:30 GMT", now))
        self.assertEqual(0.0, parse_retry_after("Sat, 21 Nov 2026 21:00:00 GMT", now))
        self.assertIsNone(parse_retry_after("soon", now))
        self.assertIsNone(parse_retry_after(None, now))

    def test_backoff_grows_exponentially_with_jitter_up_to_8_seconds(self):
        self.assertEqual(0.25, retry_delay(0, None, lambda: 0))
        self.assertEqual(0.5, retry_delay(0, None, lambda: 1))
        self.assertEqual(1.0, retry_delay(1, None, lambda: 1))
        self.assertEqual(8.0, retry_delay(10, None, lambda: 1))

    def test_retry_after_is_followed_up_to_a_minute_and_longer_is_refused(self):
        self.assertEqual(3.0, retry_delay(0, 3.0))
        self.assertEqual(60.0, retry_delay(0, 60.0))
        self.assertIsNone(retry_delay(0, 61.0))


class CompatibilityTest(unittest.TestCase):
    def test_the_package_parses_as_python_3_9(self):
        for name in sorted(os.listdir(SRC)):
            if name.endswith(".py"):
                with self.subTest(module=name), open(os.path.join(SRC, name), encoding="utf-8") as source:
                    ast.parse(source.read(), filename=name, feature_version=(3, 9))


if __name__ == "__main__":
    unittest.main()
