// A small element builder: h("a", { href, onclick }, "text", child…). `undefined`
// attributes are left out, `on…` functions become listeners.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === "") continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A click the page may handle itself: not one asking for a new tab or window. */
export function plainClick(event) {
  return !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0);
}

export function clear(element) {
  element.replaceChildren();
  return element;
}
