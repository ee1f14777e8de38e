/* The "Menu" of a phone: without JavaScript it is a link to #menu that opens the menu by :target
   (omkijken.css). Here it becomes a button that says whether the menu is open (aria-expanded);
   Escape closes it and puts the focus back on the button. On a wide screen CSS hides the button
   and shows the menu anyway. */
(function () {
  var link = document.querySelector("[data-menu-toggle]");
  var menu = link && document.getElementById(link.getAttribute("aria-controls"));
  if (!menu) return;

  var button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.setAttribute("aria-controls", menu.id);
  while (link.firstChild) button.appendChild(link.firstChild);
  link.replaceWith(button);
  menu.classList.add("menu-js");
  var close = menu.querySelector(".menu-close");
  if (close) close.remove();

  function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  }

  set(window.location.hash === "#" + menu.id);
  button.addEventListener("click", function () { set(!isOpen()); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen() && window.getComputedStyle(button).display !== "none") {
      set(false);
      button.focus();
    }
  });
})();
