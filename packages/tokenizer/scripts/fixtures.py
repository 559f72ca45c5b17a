"""
Writes the reference fixtures of @llm-playground/tokenizer's tests (src/fixtures/):

- splits.json: how Python's `regex` module splits seeded random Unicode strings with the GPT-2 and
  GPT-4 patterns (the reference for our JavaScript equivalents);
- minbpe/: what karpathy/minbpe's own Python writes for a seeded mixed-script text: .model and
  .vocab files of a BasicTokenizer and a RegexTokenizer (with special tokens), the verbose training
  lines and the ids of a test string.

    apt-get install -y python3-regex      # Debian's `regex`
    /usr/bin/python3 scripts/fixtures.py /path/to/minbpe/checkout   # the folder holding minbpe/

minbpe's gpt4.py needs tiktoken, so give a folder whose minbpe/__init__.py imports only base,
basic and regex (or omit the argument to write splits.json only).
"""
import contextlib, io, json, os, random, sys
import regex

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "fixtures")
GPT2 = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
GPT4 = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"""

# Pieces that stress the patterns: contractions in mixed case (and ſ, which folds to s), digits of
# several scripts, letters of many scripts, combining marks, emoji sequences, every kind of space.
PIECES = [
    "'s", "'S", "'t", "'T", "'ll", "'LL", "'lL", "'ve", "'VE", "'re", "'Re", "'m", "'M", "'d", "'D", "'ſ", "'x", "'",
    "don't", "I'M", "WE'LL", "they're", "it's", "O'Neil",
    "hello", "World", "ABC", "é", "e\u0301", "n\u0303", "\u0308", "\u0301\u0301", "ß", "ǅ", "Ω", "ж", "Привет",
    "שלום", "مرحبا", "नमस्ते", "ก", "中文", "字", "日本語", "カタカナ", "안녕하세요", "한",
    "0", "1", "12", "123", "1234", "12345", "٣", "४", "５", "²", "½", "Ⅻ", "3.14", "1,000",
    "😉", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷", "❤️", "😀😀",
    " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", "\r", "\x0b", "\x0c", "\x85", "\xa0", "\u2028", "\u3000",
    "\ufeff", "\u200b", " \n", "\n ", " \t ",
    "!", "!!!", "?", "(", ")", ".", ",", "-", "--", "_", "@", "#", "$", "%", "&", "*", "\"", "`", "~", "...", "—",
    "<|endoftext|>", "\x00", "\x1f",
]
RANGES = [(0x20, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF),
          (0x900, 0x97F), (0x2000, 0x206F), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x1F300, 0x1F64F)]


def random_string(rng):
    parts = []
    for _ in range(rng.randint(0, 12)):
        if rng.random() < 0.75:
            parts.append(rng.choice(PIECES))
        else:
            lo, hi = rng.choice(RANGES)
            parts.append(chr(rng.randint(lo, hi)))
    return "".join(parts)


def splits():
    rng = random.Random(1337)
    texts = [random_string(rng) for _ in range(3000)]
    texts += ["hello123!!!? (안녕하세요!) 😉", "Hello've world123 how's are you!!!?", "  trailing   \n\n  \r\n x  "]
    out = {"texts": texts}
    for name, pattern in [("gpt2", GPT2), ("gpt4", GPT4)]:
        compiled = regex.compile(pattern)
        out[name] = [compiled.findall(t) for t in texts]
    with open(os.path.join(OUT, "splits.json"), "w") as f:
        json.dump(out, f, ensure_ascii=True)


def minbpe_fixtures(root):
    sys.path.insert(0, root)
    from minbpe import BasicTokenizer, RegexTokenizer
    rng = random.Random(42)
    words = ["the", "The", "whale", "Ahab", "sea", "ship's", "don't", "I'LL", "captain", "2024", "1,000", "中文",
             "안녕", "😉", "é", "  ", "\n", "!!!", "café", "naïve", "o'er", "\u0301"]
    text = " ".join(rng.choice(words) for _ in range(6000))
    probe = "The whale's café!!! 2024 中文 안녕 😉 don't\n\n  o'er"
    out_dir = os.path.join(OUT, "minbpe")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "train.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    result = {"probe": probe}
    for name, tokenizer in [("basic", BasicTokenizer()), ("regex", RegexTokenizer())]:
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            tokenizer.train(text, 256 + 64, verbose=True)
        if name == "regex":
            tokenizer.register_special_tokens({"<|endoftext|>": 400, "<|fim|>": 401})
        tokenizer.save(os.path.join(out_dir, name))
        result[name] = {"verbose": log.getvalue().splitlines(), "ids": tokenizer.encode(probe)}
        if name == "regex":
            result[name]["idsSpecial"] = tokenizer.encode("a<|endoftext|>b<|fim|>", allowed_special="all")
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(result, f, ensure_ascii=True, indent=1)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    splits()
    if len(sys.argv) > 1:
        minbpe_fixtures(sys.argv[1])
