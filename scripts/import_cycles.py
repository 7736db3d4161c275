import ast, sys, pathlib, itertools
root = pathlib.Path("src/communique")
mods = {}
for f in root.rglob("*.py"):
    rel = f.relative_to(root.parent).with_suffix("")
    name = ".".join(rel.parts)
    if name.endswith(".__init__"): name = name[:-9]
    mods[name] = f
graph = {m: set() for m in mods}
for m, f in mods.items():
    pkg = m if f.name == "__init__.py" else m.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(f.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            cands = ([target] if node.module else []) + [target + "." + a.name for a in node.names]
            for c in cands:
                if c in mods and c != m: graph[m].add(c)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in mods: graph[m].add(a.name)
# find strongly connected components (Tarjan)
index = {}; low = {}; stack = []; on = set(); sccs = []; i = [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in graph[v]:
        if w not in index: strong(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(comp)
for v in graph:
    if v not in index: strong(v)
for c in sccs:
    print(sorted(c))
    for a in c:
        print("  ", a, "->", sorted(graph[a] & set(c)))
