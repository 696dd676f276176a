/* kbsite search: the browser side of the index written under search/.
 *
 * Loaded only when the reader first focuses the search box. It answers queries exactly as
 * `kbsite search` does (src/search/query.rs and snippet.rs): the same files, the same
 * candidates, the same integer scores and ties, the same snippet. A change on one side needs
 * the same change on the other; tests/js and the parity test hold them together.
 */
(function (root) {
  "use strict";

  var VERSION = 3;
  var MAX_WORDS = 12;
  var MAX_WORD_CHARS = 40;
  var MAX_PREFIX_FORMS = 50;
  var COMMON_MIN_DOCS = 500;
  var RANGE_CHARS = 3;
  var TYPO_MIN_CHARS = 5;
  /* Tiers and their step (see tier_of in query.rs); 2^40, exact in a double. */
  var TIER = { EXACT_TITLE: 5, WHOLE_TITLE: 4, TITLE: 3, WHOLE_HEADING: 2, HEADING: 1, BODY: 0 };
  var TIER_STEP = 1099511627776;
  /* Place: title_len + 64 * (section_len + 8 * (heading_len + 64 * heading)), see
   * format.rs. */
  var LENGTH_STEP = 64, SECTION_STEP = 8;
  var KIND = { EXACT: 10, STEM: 8, PREFIX: 7, TYPO: 6 };
  var ENDINGS = [
    "", "a", "e", "i", "o", "u", "y", "em", "om", "ow", "ia", "ie", "ii", "iu", "ym", "im", "ej",
    "ac", "ec", "ic", "mi", "ach", "ami", "ych", "ich", "ego", "emu", "owi", "owa", "owe", "owy",
    "ymi", "imi", "iem", "iom", "iej", "iach", "iami", "owie", "owej", "owym", "owych",
    "owego", "s", "es", "ed", "ing", "er", "ers", "ly", "ies", "ied"
  ];
  var WINDOW = 24;
  var LEAD = 4;

  /* What each Latin letter folds to: generated from the Rust fold(), checked by a test. */
  var FOLD_TABLE = /* fold-table */ "ßss àa áa âa ãa äa åa æae çc èe ée êe ëe ìi íi îi ïi ðd ñn òo óo ôo õo öo øo ùu úu ûu üu ýy þth ÿy āa ăa ąa ćc ĉc ċc čc ďd đd ēe ĕe ėe ęe ěe ĝg ğg ġg ģg ĥh ħh ĩi īi ĭi įi ıi ĳij ĵj ķk ĸk ĺl ļl ľl ŀl łl ńn ņn ňn ōo ŏo őo œoe ŕr ŗr řr śs ŝs şs šs ţt ťt ŧt ũu ūu ŭu ůu űu ųu ŵw ŷy źz żz žz ſs ƀb ƃb ƈc ƌd ƍd ƒf ƕhv ƙk ƚl ƛl ƞn ơo ƣoi ƥp ƪsh ƫt ƭt ưu ƴy ƶz ƹzh ƺzh ƾts ƿw ǆdz ǉlj ǌnj ǎa ǐi ǒo ǔu ǖu ǘu ǚu ǜu ǟa ǡa ǣae ǥg ǧg ǩk ǫo ǭo ǯzh ǰj ǳdz ǵg ǹn ǻa ǽae ǿo ȁa ȃa ȅe ȇe ȉi ȋi ȍo ȏo ȑr ȓr ȕu ȗu șs țt ȝy ȟh ȡd ȣou ȥz ȧa ȩe ȫo ȭo ȯo ȱo ȳy ȴl ȵn ȶt ȷj ȸdb ȹqp ȼc ȿs ɀz ɇe ɉj ɋq ɍr ɏy ḁa ḃb ḅb ḇb ḉc ḋd ḍd ḏd ḑd ḓd ḕe ḗe ḙe ḛe ḝe ḟf ḡg ḣh ḥh ḧh ḩh ḫh ḭi ḯi ḱk ḳk ḵk ḷl ḹl ḻl ḽl ḿm ṁm ṃm ṅn ṇn ṉn ṋn ṍo ṏo ṑo ṓo ṕp ṗp ṙr ṛr ṝr ṟr ṡs ṣs ṥs ṧs ṩs ṫt ṭt ṯt ṱt ṳu ṵu ṷu ṹu ṻu ṽv ṿv ẁw ẃw ẅw ẇw ẉw ẋx ẍx ẏy ẑz ẓz ẕz ẖh ẗt ẘw ẙy ẚa ẛs ẜs ẝs ẟd ạa ảa ấa ầa ẩa ẫa ậa ắa ằa ẳa ẵa ặa ẹe ẻe ẽe ếe ềe ểe ễe ệe ỉi ịi ọo ỏo ốo ồo ổo ỗo ộo ớo ờo ởo ỡo ợo ụu ủu ứu ừu ửu ữu ựu ỳy ỵy ỷy ỹy ỻll ỽv ỿy" /* end */;
  var FOLD = {};
  FOLD_TABLE.split(" ").forEach(function (entry) {
    FOLD[entry.charAt(0)] = entry.slice(1);
  });

  function fold(word) {
    var lower = word.toLowerCase();
    var out = "";
    for (var ch of lower) {
      var cp = ch.codePointAt(0);
      if (ch === "'" || ch === "\u2019") continue;
      if (cp < 128) out += ch;
      else if (cp >= 0x300 && cp <= 0x36f) continue;
      else out += FOLD[ch] !== undefined ? FOLD[ch] : ch;
    }
    return out;
  }

  var segmenter = typeof Intl === "object" && Intl.Segmenter
    ? new Intl.Segmenter("und", { granularity: "word" })
    : null;

  /* Ideographs and hiragana are one word per character in Unicode word segmentation (as in
   * the Rust index); Intl.Segmenter groups them with a dictionary, so they are split again. */
  var IDEOGRAPHIC = /[\p{sc=Han}\p{sc=Hiragana}]/u;
  var IDEOGRAPHIC_PIECES = /[\p{sc=Han}\p{sc=Hiragana}]|[^\p{sc=Han}\p{sc=Hiragana}]+/gu;

  /* Words of `text` by Unicode word boundaries, with their UTF-16 offsets. */
  function wordIndices(text) {
    var out = [];
    var push = function (index, word) {
      if (!IDEOGRAPHIC.test(word)) {
        out.push([index, word]);
        return;
      }
      var m;
      IDEOGRAPHIC_PIECES.lastIndex = 0;
      while ((m = IDEOGRAPHIC_PIECES.exec(word))) out.push([index + m.index, m[0]]);
    };
    if (segmenter) {
      for (var s of segmenter.segment(text)) {
        if (s.isWordLike) push(s.index, s.segment);
      }
    } else {
      var re = /[\p{L}\p{M}\p{N}_']+/gu;
      var m;
      while ((m = re.exec(text))) push(m.index, m[0]);
    }
    return out;
  }

  var ALPHABETIC = /^\p{Alphabetic}+$/u;

  /* The word without a footnote marker glued to its end, or null. */
  function gluedMarker(word) {
    var end = word.length;
    while (end > 0 && word.charCodeAt(end - 1) >= 48 && word.charCodeAt(end - 1) <= 57) end--;
    var trimmed = word.slice(0, end);
    var digits = word.length - trimmed.length;
    var glued = digits >= 1 && digits <= 2 && Array.from(trimmed).length >= 4 &&
      ALPHABETIC.test(trimmed);
    return glued ? trimmed : null;
  }

  function words(text) {
    var out = [];
    wordIndices(text).forEach(function (w) {
      out.push(w[1]);
      var g = gluedMarker(w[1]);
      if (g !== null) out.push(g);
    });
    return out;
  }

  function queryWords(query) {
    var out = [];
    var all = words(query);
    for (var i = 0; i < all.length; i++) {
      var f = Array.from(fold(all[i])).slice(0, MAX_WORD_CHARS).join("");
      if (out.indexOf(f) < 0) out.push(f);
      if (out.length === MAX_WORDS) break;
    }
    return out;
  }

  function rangeStart(f) {
    var chars = Array.from(f);
    if (chars.length >= RANGE_CHARS) return [chars.slice(0, RANGE_CHARS).join(""), true];
    return [f, false];
  }

  function oneEditApart(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var p = 0;
    while (p < la && p < lb && a[p] === b[p]) p++;
    if (la === lb && p === la) return false;
    var ra = a.slice(p), rb = b.slice(p);
    var same = function (x, y) { return x.join("") === y.join(""); };
    if (la === lb) {
      return same(ra.slice(1), rb.slice(1)) ||
        (ra.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && same(ra.slice(2), rb.slice(2)));
    }
    if (la > lb) return same(ra.slice(1), rb);
    return same(ra, rb.slice(1));
  }

  /* perWord: [best, position, title, titleExact, heading, headingLen, sectionLen] per query
   * word; see
   * WordScore in query.rs. */
  function combine(perWord) {
    var base = 0, matched = 0, near = 0;
    for (var i = 0; i < perWord.length; i++) {
      base += perWord[i][0];
      if (perWord[i][0] > 0) matched++;
      if (i > 0) {
        var a = perWord[i - 1], b = perWord[i];
        if (a[0] > 0 && b[0] > 0 && a[1] > 0 && b[1] > a[1] && b[1] - a[1] <= 3) near++;
      }
    }
    var all = matched === perWord.length && perWord.length > 1;
    return base * (10 + (all ? 5 : 0) + 3 * near);
  }

  function firstOf(a, b) {
    if (a === 0) return b;
    if (b === 0) return a;
    return Math.min(a, b);
  }

  /* Whether the places (index `field` of each word) are 1..titleLen with none missing. */
  function covers(perWord, field, titleLen) {
    var places = [];
    for (var i = 0; i < perWord.length; i++) {
      if (places.indexOf(perWord[i][field]) < 0) places.push(perWord[i][field]);
    }
    places.sort(function (a, b) { return a - b; });
    return places[0] > 0 && places.length === titleLen && places[places.length - 1] === titleLen;
  }

  function tierOf(perWord, titleLen) {
    if (!perWord.length) return TIER.BODY;
    if (covers(perWord, 3, titleLen)) return TIER.EXACT_TITLE;
    if (covers(perWord, 2, titleLen)) return TIER.WHOLE_TITLE;
    if (perWord.every(function (w) { return w[2] > 0; })) return TIER.TITLE;
    var n = perWord.length;
    var inSection = perWord.every(function (w) { return w[6] > 0; });
    var heading = perWord[0][4];
    var inHeading = heading > 0 && perWord.every(function (w) { return w[4] === heading; });
    if ((inSection && perWord[0][6] <= n) || (inHeading && perWord[0][5] <= n)) return TIER.WHOLE_HEADING;
    if (n > 1 && (inHeading || inSection)) return TIER.HEADING;
    return TIER.BODY;
  }

  function score(perWord, titleLen) {
    return tierOf(perWord, titleLen) * TIER_STEP + Math.min(combine(perWord), TIER_STEP - 1);
  }

  /* Neighbours among the first three letters swapped: where a typo there sends the word. */
  function swapsInRange(f) {
    var chars = Array.from(f);
    var out = [];
    for (var i = 0; i + 1 < Math.min(RANGE_CHARS, chars.length); i++) {
      if (chars[i] === chars[i + 1]) continue;
      var c = chars.slice();
      var t = c[i]; c[i] = c[i + 1]; c[i + 1] = t;
      var s = c.join("");
      if (out.indexOf(s) < 0) out.push(s);
    }
    return out;
  }

  /* Orders strings by code points, as Rust orders the index (`<` on strings compares UTF-16
   * code units, which puts letters above U+FFFF before U+E000-U+FFFF). */
  function comparePoints(a, b) {
    for (var i = 0; ; ) {
      if (i >= a.length) return i >= b.length ? 0 : -1;
      if (i >= b.length) return 1;
      var x = a.codePointAt(i), y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
    }
  }

  /* Index of the last start <= value (0 when none). */
  function partitionLast(starts, value) {
    var lo = 0, hi = starts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      var le = typeof value === "number" ? starts[mid] <= value : comparePoints(starts[mid], value) <= 0;
      if (le) lo = mid + 1; else hi = mid;
    }
    return Math.max(lo, 1) - 1;
  }

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }
  function gap(text) {
    return escapeHtml(text.replace(/[ \t\n\r]+/g, " "));
  }

  /* The query words `word` matches, as bits (see word_mask in snippet.rs). */
  function wordMask(word, hitForms) {
    var own = hitForms.get(fold(word)) || 0;
    var g = gluedMarker(word);
    var unglued = g !== null ? hitForms.get(fold(g)) || 0 : 0;
    return own | unglued;
  }

  function bitCount(n) {
    var c = 0;
    for (; n; n &= n - 1) c++;
    return c;
  }

  function snippet(fragment, hitForms) {
    var parts = fragment.parts.slice();
    if (fragment.description) parts.push(["", fragment.description]);
    var best = null;
    var tokenized = parts.map(function (part, p) {
      var ws = wordIndices(part[1]);
      var masks = ws.map(function (w) { return wordMask(w[1], hitForms); });
      for (var h = 0; h < ws.length; h++) {
        if (!masks[h]) continue;
        var start = Math.max(0, h - LEAD);
        var end = Math.min(start + WINDOW, ws.length);
        var union = 0;
        for (var k = start; k < end; k++) union |= masks[k];
        var inHeading = fragment.heads && p < fragment.heads.length && h < fragment.heads[p];
        var value = bitCount(union) * 2 + (inHeading ? 1 : 0);
        if (best === null || value > best[0]) best = [value, p, start];
      }
      return [ws, masks.map(function (m) { return m !== 0; })];
    });
    var part, start;
    if (best !== null) { part = best[1]; start = best[2]; }
    else if (fragment.description) { part = parts.length - 1; start = 0; }
    else if (parts.length) { part = 0; start = 0; }
    else return ["", ""];
    var text = parts[part][1];
    var ws = tokenized[part][0], hits = tokenized[part][1];
    var end = Math.min(start + WINDOW, ws.length);
    var out = start > 0 ? "… " : "";
    for (var k = start; k < end; k++) {
      if (k > start) out += gap(text.slice(ws[k - 1][0] + ws[k - 1][1].length, ws[k][0]));
      out += hits[k] ? "<mark>" + escapeHtml(ws[k][1]) + "</mark>" : escapeHtml(ws[k][1]);
    }
    if (end < ws.length) out += " …";
    return [parts[part][0], out];
  }

  /* The parsed JSON of an index file from its bytes (a Uint8Array), as a promise. Every file
   * but meta.json is stored packed with gzip (see src/search/format.rs) and unpacked here, so
   * no server setting is needed; a host that sent it with Content-Encoding: gzip has already
   * unpacked it, and plain JSON is parsed as it is. */
  function unpack(bytes) {
    return new Promise(function (resolve) {
      if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
        resolve(JSON.parse(new TextDecoder().decode(bytes)));
        return;
      }
      if (typeof DecompressionStream !== "function") {
        throw new Error("search index: this browser cannot unpack gzip (no DecompressionStream)");
      }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      resolve(new Response(stream).json());
    });
  }

  /* A search over one index; `load(file)` resolves to the parsed JSON of an index file. */
  function Searcher(load) {
    this.load = load;
    this.files = {};
    this.loaded = [];
    this.meta = null;
  }

  /* The parsed file, loaded once; a file that failed is asked for again next time. */
  Searcher.prototype.file = function (name) {
    var self = this;
    if (!this.files[name]) {
      this.loaded.push(name);
      var promise = new Promise(function (resolve) { resolve(self.load(name)); });
      promise.catch(function () {
        if (self.files[name] === promise) delete self.files[name];
      });
      this.files[name] = promise;
    }
    return this.files[name];
  };

  Searcher.prototype.open = function () {
    var self = this;
    return this.file("meta.json").then(function (meta) {
      if (!meta || meta.version !== VERSION || !Array.isArray(meta.dict) || !Array.isArray(meta.post)) {
        throw new Error("search index: unsupported meta.json");
      }
      self.meta = meta;
      return self;
    });
  };

  Searcher.prototype.dictRange = function (f) {
    var r = rangeStart(f);
    var starts = this.meta.dict;
    var first = partitionLast(starts, r[0]);
    var out = [first];
    if (r[1]) {
      for (var j = first + 1; j < starts.length && starts[j].startsWith(r[0]); j++) out.push(j);
    }
    return out;
  };

  /* Adds to `keys` what query word f matches in the range of `range` (see match_range). */
  Searcher.prototype.matchRange = function (f, range, isLast, keys, df) {
    var self = this;
    var r = rangeStart(range);
    var inRange = function (s) { return r[1] ? s.startsWith(r[0]) : s === f; };
    var length = Array.from(f).length;
    var chunks = this.dictRange(range);
    return Promise.all(chunks.map(function (i) { return self.file("d/" + i + ".json.gz"); }))
      .then(function (loaded) {
        var add = function (id, weight) { keys.set(id, Math.max(keys.get(id) || 0, weight)); };
        var completions = [];
        self.dicts = self.dicts || {};
        loaded.forEach(function (chunk, n) {
          self.dicts[chunks[n]] = chunk;
          chunk.keys.forEach(function (key) { df.set(key[1], key[2]); });
        });
        loaded.forEach(function (chunk) {
          chunk.forms.forEach(function (form) {
            var g = form[0];
            if (!inRange(g)) return;
            var weight;
            if (g === f) weight = KIND.EXACT;
            else if (isLast && length >= RANGE_CHARS && g.startsWith(f)) {
              var n = 0;
              form[1].forEach(function (k) { if (df.has(k)) n = Math.max(n, df.get(k)); });
              completions.push([n, form]);
              return;
            } else if (length >= TYPO_MIN_CHARS && oneEditApart(f, g)) weight = KIND.TYPO;
            else return;
            form[1].forEach(function (k) { add(k, weight); });
          });
          chunk.keys.forEach(function (key) {
            if (!inRange(key[0])) return;
            var stem = key[0];
            var inflected = f.startsWith(stem) && ENDINGS.indexOf(f.slice(stem.length)) >= 0;
            if (inflected && Array.from(stem).length >= RANGE_CHARS) add(key[1], KIND.STEM);
          });
        });
        /* The most common completions first (see match_range in query.rs). */
        completions.sort(function (a, b) { return b[0] - a[0] || comparePoints(a[1][0], b[1][0]); });
        completions.slice(0, MAX_PREFIX_FORMS).forEach(function (c) {
          c[1][1].forEach(function (k) { add(k, KIND.PREFIX); });
        });
      });
  };

  Searcher.prototype.candidates = function (f, isLast) {
    var self = this;
    var keys = new Map();
    var df = new Map();
    var ranges = [f];
    return this.matchRange(f, f, isLast, keys, df).then(function () {
      var exact = false;
      keys.forEach(function (w) { if (w > KIND.TYPO) exact = true; });
      if (Array.from(f).length < TYPO_MIN_CHARS || exact) return null;
      var swaps = swapsInRange(f);
      ranges = ranges.concat(swaps);
      return swaps.reduce(function (done, s) {
        return done.then(function () { return self.matchRange(f, s, false, keys, df); });
      }, Promise.resolve());
    }).then(function () {
      /* Common: every key in most articles (see COMMON_MIN_DOCS in query.rs). */
      var docs = self.meta.docs;
      var common = keys.size > 0 && Array.from(keys.keys()).every(function (k) {
        var n = df.get(k);
        return n !== undefined && n > COMMON_MIN_DOCS && n * 2 > docs;
      });
      return { folded: f, keys: keys, ranges: ranges, common: common };
    });
  };

  /* The keys of the folded form f, or [] when the dictionary does not have it. */
  Searcher.prototype.formKeys = function (f) {
    var self = this;
    var chunks = this.dictRange(f);
    return Promise.all(chunks.map(function (i) { return self.file("d/" + i + ".json.gz"); }))
      .then(function (loaded) {
        for (var n = 0; n < loaded.length; n++) {
          for (var j = 0; j < loaded[n].forms.length; j++) {
            if (loaded[n].forms[j][0] === f) return loaded[n].forms[j][1];
          }
        }
        return [];
      });
  };

  Searcher.prototype.postings = function (key) {
    var chunk = partitionLast(this.meta.post, key);
    return this.file("p/" + chunk + ".json.gz").then(function (lists) {
      for (var i = 0; i < lists.length; i++) if (lists[i][0] === key) return lists[i];
      return [key, 0, []];
    });
  };

  Searcher.prototype.rank = function (words) {
    var self = this;
    var n = words.length;
    var jobs = [];
    words.forEach(function (word, i) {
      Array.from(word.keys.keys()).sort(function (a, b) { return a - b; }).forEach(function (key) {
        jobs.push([i, key, word.keys.get(key)]);
      });
    });
    return Promise.all(jobs.map(function (j) { return self.postings(j[1]); })).then(function (lists) {
      /* Longer forms and typos never count as rarer than the word as typed (see rank()). */
      var caps = words.map(function () { return -1; });
      jobs.forEach(function (job, j) {
        if (job[2] >= KIND.STEM) caps[job[0]] = Math.max(caps[job[0]], lists[j][1]);
      });
      var best = new Map();
      jobs.forEach(function (job, j) {
        var idf = lists[j][1], list = lists[j][2];
        if (caps[job[0]] >= 0 && job[2] < KIND.STEM) idf = Math.min(idf, caps[job[0]]);
        var doc = 0;
        for (var t = 0; t + 2 < list.length; ) {
          doc += list[t];
          var value = job[2] * idf * list[t + 1];
          var position = list[t + 2];
          var place = 0;
          /* A negative third number: a place follows (see Postings in format.rs). */
          if (position < 0 && t + 3 < list.length) {
            position = -1 - position;
            place = list[t + 3];
            t += 4;
          } else t += 3;
          var titleLen = place % LENGTH_STEP;
          var section = Math.floor(place / LENGTH_STEP);
          var sectionLen = section % SECTION_STEP;
          var headingCode = Math.floor(section / SECTION_STEP);
          var headingLen = headingCode % LENGTH_STEP;
          var heading = Math.floor(headingCode / LENGTH_STEP);
          var entry = best.get(doc);
          if (!entry) {
            var slots = [];
            for (var s = 0; s < n; s++) slots.push([0, 0, 0, 0, 0, 0, 0]);
            entry = [0, slots];
            best.set(doc, entry);
          }
          entry[0] = Math.max(entry[0], titleLen);
          var slot = entry[1][job[0]];
          if (value > slot[0]) { slot[0] = value; slot[1] = position; }
          if (position >= 1 && position <= titleLen) {
            slot[2] = firstOf(slot[2], position);
            if (job[2] >= KIND.STEM) slot[3] = firstOf(slot[3], position);
          }
          if (heading !== 0 && (slot[4] === 0 || heading < slot[4])) {
            slot[4] = heading;
            slot[5] = headingLen;
          }
          slot[6] = Math.max(slot[6], sectionLen);
        }
      });
      var ranked = [];
      best.forEach(function (entry, doc) { ranked.push([doc, score(entry[1], entry[0])]); });
      ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return ranked;
    });
  };

  Searcher.prototype.hitForms = function (words) {
    var out = new Map();
    var self = this;
    var add = function (form, bit) { out.set(form, (out.get(form) || 0) | bit); };
    words.forEach(function (word, i) {
      var bit = 1 << i;
      add(word.folded, bit);
      word.ranges.forEach(function (range) {
        var r = rangeStart(range);
        self.dictRange(range).forEach(function (c) {
          var chunk = self.dicts && self.dicts[c];
          if (!chunk) return;
          chunk.forms.forEach(function (form) {
            var inRange = r[1] ? form[0].startsWith(r[0]) : form[0] === word.folded;
            if (inRange && form[1].some(function (k) { return word.keys.has(k); })) add(form[0], bit);
          });
        });
      });
    });
    return out;
  };

  /* The best `limit` results: [{title, url, path, section, score, snippet}]. */
  Searcher.prototype.search = function (query, limit) {
    var self = this;
    var folded = queryWords(query);
    return Promise.all(folded.map(function (f, i) {
      return self.candidates(f, i + 1 === folded.length);
    })).then(function (words) {
      /* Two words the index also has as one form match that form too (see search() in
       * query.rs). */
      var joins = [];
      for (var i = 1; i < words.length; i++) {
        if (Array.from(folded[i - 1]).length >= RANGE_CHARS) joins.push(i);
      }
      return Promise.all(joins.map(function (i) { return self.formKeys(folded[i - 1] + folded[i]); }))
        .then(function (found) {
          joins.forEach(function (i, j) {
            found[j].forEach(function (k) {
              words[i - 1].keys.set(k, KIND.EXACT);
              words[i].keys.set(k, KIND.EXACT);
            });
          });
          return words;
        });
    }).then(function (words) {
      /* Common words go when a rarer word matched something (see search() in query.rs). */
      if (words.some(function (w) { return !w.common && w.keys.size > 0; })) {
        words = words.filter(function (w) { return !w.common; });
      }
      return self.rank(words).then(function (ranked) {
        var hitForms = self.hitForms(words);
        var top = ranked.slice(0, limit);
        return Promise.all(top.map(function (r) { return self.file("f/" + r[0] + ".json.gz"); }))
          .then(function (fragments) {
            return fragments.map(function (fragment, i) {
              var s = snippet(fragment, hitForms);
              var score = top[i][1];
              /* A title that is the query word for word (see search() in query.rs). */
              if (Math.floor(score / TIER_STEP) === TIER.EXACT_TITLE &&
                  queryWords(fragment.title).join(" ") === folded.join(" ")) {
                score += TIER_STEP / 2;
              }
              return {
                title: fragment.title,
                url: s[0] ? fragment.url + "#" + s[0] : fragment.url,
                path: fragment.path,
                section: fragment.section,
                score: score,
                snippet: s[1]
              };
            }).map(function (hit, i) { return [hit, i]; })
              .sort(function (a, b) { return b[0].score - a[0].score || a[1] - b[1]; })
              .map(function (pair) { return pair[0]; });
          });
      });
    });
  };

  /* Which form of a noun goes with the number n, as src/render/i18n.rs `plural_form` says:
     Polish has "one" (1 wynik), "few" (2-4, 22-24, … but not 12-14: 2 wyniki) and "many"
     (5 wyników, 12 wyników); English has "one" and "many". */
  function pluralForm(n, lang) {
    if (n === 1) return "one";
    if (lang === "pl" && n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) return "few";
    return "many";
  }

  var api = {
    fold: fold, words: words, queryWords: queryWords, oneEditApart: oneEditApart,
    combine: combine, snippet: snippet, unpack: unpack, pluralForm: pluralForm,
    Searcher: Searcher, FOLD_TABLE: FOLD_TABLE
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  root.kbsiteSearch = api;

  /* ---- The interface: the header box on every page and the search page. ---- */

  var form = document.querySelector("form.site-search");
  if (!form) return;
  var strings = form.dataset;
  var base = strings.index;
  var searcher = null;
  function getSearcher() {
    if (!searcher) {
      searcher = new Searcher(function (name) {
        return fetch(base + name).then(function (r) {
          if (!r.ok) throw new Error("search index: " + name + " " + r.status);
          return r.arrayBuffer();
        }).then(function (buffer) {
          return unpack(new Uint8Array(buffer));
        });
      }).open().catch(function (e) {
        searcher = null;
        throw e;
      });
    }
    return searcher;
  }

  function answer(query, limit) {
    if (!queryWords(query).length) return Promise.resolve([]);
    return getSearcher().then(function (s) { return s.search(query, limit); });
  }

  /* How many results, as the page's language says it: "1 wynik", "2 wyniki", "5 wyników",
     "22 wyniki"; "1 result", "2 results". */
  function countText(n) {
    var forms = { one: strings.resultOne, few: strings.resultFew, many: strings.resultsCount };
    return n + " " + forms[pluralForm(n, strings.lang)];
  }

  /* Results of the header's box are options of a listbox, chosen with the arrow keys or the
     pointer (an option holds no link: nothing interactive inside another); those of the search
     page are plain links. */
  function renderResults(list, results, idPrefix, asOptions) {
    list.textContent = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      var a = document.createElement(asOptions ? "div" : "a");
      if (asOptions) {
        li.setAttribute("role", "option");
        li.id = idPrefix + i;
        li.setAttribute("aria-selected", "false");
        li.dataset.url = r.url;
        a.className = "kb-result";
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { window.location.href = r.url; });
      } else {
        a.href = r.url;
        a.className = "kb-result";
      }
      var title = document.createElement("span");
      title.className = "kb-result__title";
      title.textContent = r.title;
      a.appendChild(title);
      if (r.section) {
        var section = document.createElement("span");
        section.className = "kb-result__section";
        section.textContent = r.section;
        a.appendChild(section);
      }
      var snip = document.createElement("span");
      snip.className = "kb-result__snippet";
      snip.innerHTML = r.snippet; /* escaped by snippet(): only <mark> is markup */
      a.appendChild(snip);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function message(list, text, asOptions) {
    var li = document.createElement("li");
    li.className = "kb-result--empty";
    if (asOptions) {
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
    }
    li.textContent = text;
    list.appendChild(li);
  }

  /* Runs queries for one input and list, dropping answers that arrive out of date. */
  function bind(input, list, limit, onAnswer, asOptions) {
    var seq = 0;
    function run() {
      var query = input.value;
      var mine = ++seq;
      answer(query, limit).then(function (results) {
        if (mine !== seq) return;
        renderResults(list, results, list.id + "-", asOptions);
        if (!results.length && query.trim()) message(list, strings.noResults + " „" + query.slice(0, 80) + "”", asOptions);
        list.dataset.query = query;
        onAnswer(query, results);
      }, function (e) {
        if (mine !== seq) return;
        console.warn(e);
        list.textContent = "";
        message(list, strings.error, asOptions);
        list.dataset.query = query;
        onAnswer(query, []);
      });
    }
    var timer = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 40);
    });
    return run;
  }

  var input = document.getElementById("kb-search-input");
  var list = document.getElementById("kb-search-results");
  var selected = -1;
  function options() { return list.querySelectorAll('[role="option"]:not([aria-disabled])'); }
  function select(i) {
    var opts = options();
    if (!opts.length) { selected = -1; return; }
    selected = (i + opts.length) % opts.length;
    opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === selected ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", opts[selected].id);
    opts[selected].scrollIntoView({ block: "nearest" });
  }
  function open(show) {
    list.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) { selected = -1; input.removeAttribute("aria-activedescendant"); }
  }
  var announce = document.getElementById("kb-search-status");
  var runHeader = bind(input, list, 8, function (query, results) {
    selected = -1;
    open(query.trim() !== "");
    if (announce) announce.textContent = query.trim() ? countText(results.length) : "";
  }, true);
  /* Escape closes the results first, keeping the query; a second Escape clears the box, a
     third leaves it. Tab closes the results and moves on. */
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden && input.value.trim()) open(true);
      select(selected + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      var opts = options();
      if (selected >= 0 && opts[selected] && opts[selected].dataset.url) {
        e.preventDefault();
        window.location.href = opts[selected].dataset.url;
      }
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (!list.hidden) open(false);
      else if (input.value) { input.value = ""; runHeader(); open(false); }
      else input.blur();
    } else if (e.key === "Tab") {
      open(false);
    }
  });
  input.addEventListener("focus", function () { if (list.children.length && input.value.trim()) open(true); });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
  if (input.value) runHeader();

  var pageInput = document.getElementById("kb-search-page-input");
  var pageList = document.getElementById("kb-search-page-results");
  if (pageInput && pageList) {
    var status = document.getElementById("kb-search-page-status");
    var runPage = bind(pageInput, pageList, 20, function (query, results) {
      if (status) status.textContent = query.trim() ? countText(results.length) : "";
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
    });
    pageInput.value = new URLSearchParams(window.location.search).get("q") || "";
    runPage();
  }
})(this);
