"""Draw the actor graph of a newsgraph store as docs/graph.png (needs matplotlib: `pip install
-e '.[docs]'`).

    python docs/render_graph.py --db newsgraph.db -o docs/graph.png
"""

from __future__ import annotations

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

from pipeline.store import open_store  # noqa: E402
from pipeline.store.schema import projection_types  # noqa: E402

COLOURS = {"Person": "#4C78A8", "Organization": "#F58518", "Place": "#54A24B", "Group": "#B279A2"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="newsgraph.db")
    parser.add_argument("-o", "--output", default="docs/graph.png")
    args = parser.parse_args()
    graph = nx.MultiDiGraph()
    labels = {}
    with open_store(args.db, read_only=True) as store:
        for node_id, label, props in store.nodes():
            labels[node_id] = (label, props.get("name", node_id))
        projections = set(projection_types().values())
        for source, rel_type, target, props in store.relationships():
            if rel_type in projections and props.get("status") != "negated":
                graph.add_edge(source, target, type=rel_type)
    simple = nx.DiGraph()
    for source, target, data in graph.edges(data=True):
        names = simple.get_edge_data(source, target, {}).get("types", set())
        simple.add_edge(source, target, types=names | {data["type"]})
    positions = nx.spring_layout(simple, seed=3, k=2.2, iterations=200)
    plt.figure(figsize=(14, 10))
    nx.draw_networkx_nodes(simple, positions, node_size=[300 + 120 * simple.degree(n) for n in simple],
                           node_color=[COLOURS.get(labels[n][0], "#999") for n in simple], alpha=0.9)
    nx.draw_networkx_edges(simple, positions, alpha=0.45, arrows=True, arrowsize=12, connectionstyle="arc3,rad=0.08")
    nx.draw_networkx_labels(simple, positions, {n: labels[n][1] for n in simple}, font_size=9)
    nx.draw_networkx_edge_labels(simple, positions, {(s, t): "/".join(sorted(d["types"])) for s, t, d in simple.edges(data=True)},
                                 font_size=6, font_color="#555", label_pos=0.5)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c, label=l) for l, c in COLOURS.items()]
    plt.legend(handles=handles, loc="lower left")
    plt.axis("off")
    plt.tight_layout()
    plt.savefig(args.output, dpi=110)


if __name__ == "__main__":
    main()
